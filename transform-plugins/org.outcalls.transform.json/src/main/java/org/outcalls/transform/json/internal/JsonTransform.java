package org.outcalls.transform.json.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;
import org.outcalls.api.transform.TransformName;

/**
 * {@code json}: the context is RFC 6901 JSON Pointers, one per line; the body becomes one canonical
 * JSON object holding just those values, keyed by pointer (see {@link CanonicalJson}). All headers
 * are dropped; the status is kept.
 */
@Component(service = Transform.class)
@TransformName(JsonTransform.NAME)
public final class JsonTransform implements Transform {
    public static final String NAME = "json";

    private final JsonReader reader = new JsonReader();

    @Override
    public HttpResponse apply(HttpResponse response, byte[] context) throws TransformException {
        List<JsonPointer> pointers = pointers(context);
        JsonValue root = reader.read(NAME, response.body(), PointerTrie.of(pointers));
        Map<String, JsonValue> selected = new TreeMap<>();
        for (JsonPointer pointer : pointers) {
            selected.put(pointer.text(), Selection.resolve(NAME, root, pointer));
        }
        StringBuilder out = new StringBuilder();
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonValue> e : selected.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            CanonicalJson.string(e.getKey(), out);
            out.append(':');
            CanonicalJson.write(e.getValue(), out);
        }
        out.append('}');
        return HttpResponse.of(response.status(), List.of(), out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One pointer per line (LF or CRLF); empty lines are skipped; at least one pointer. */
    static List<JsonPointer> pointers(byte[] context) throws TransformException {
        String text = Text.utf8(NAME, "context", context);
        String[] lines = text.split("\n", -1);
        List<JsonPointer> pointers = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isEmpty()) {
                continue;
            }
            try {
                pointers.add(JsonPointer.parse(line));
            } catch (IllegalArgumentException e) {
                throw new TransformException(NAME + ": context line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (pointers.isEmpty()) {
            throw new TransformException(NAME + ": context names no JSON Pointer; give one per line, such as /data/price");
        }
        return pointers;
    }
}
