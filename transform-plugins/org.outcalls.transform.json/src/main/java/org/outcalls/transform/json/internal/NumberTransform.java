package org.outcalls.transform.json.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.Decimals;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;
import org.outcalls.api.transform.TransformName;
import org.outcalls.transform.json.internal.JsonValue.JNumber;
import org.outcalls.transform.json.internal.JsonValue.JString;

/**
 * {@code number}: the context is one JSON Pointer; the body becomes the value there as a canonical
 * decimal ({@link CanonicalNumber}), taken from a JSON number or from a JSON string that holds one
 * (such as {@code "123.45"}). All headers are dropped; the status is kept. This is what the
 * {@code median} policy aggregates. A value outside the decimal range of {@link Decimals} (more
 * than 100 significant digits, or a leading digit beyond 10<sup>±100</sup>) is a transform error.
 */
@Component(service = Transform.class)
@TransformName(NumberTransform.NAME)
public final class NumberTransform implements Transform {
    public static final String NAME = "number";

    private final JsonReader reader = new JsonReader();

    @Override
    public HttpResponse apply(HttpResponse response, byte[] context) throws TransformException {
        JsonPointer pointer = pointer(context);
        JsonValue root = reader.read(NAME, response.body(), PointerTrie.of(List.of(pointer)));
        JsonValue value = Selection.resolve(NAME, root, pointer);
        BigDecimal decimal;
        if (value instanceof JNumber n) {
            decimal = n.value();
        } else if (value instanceof JString s) {
            decimal = CanonicalNumber.parse(s.value());
            if (decimal == null && CanonicalNumber.isNumberText(s.value())) {
                throw new TransformException(NAME + ": the value at " + Text.location(pointer.text()) + " is the string "
                        + Text.quote(s.value()) + ", outside the decimal range: its exponent is beyond ±2147483647");
            }
            if (decimal == null) {
                throw new TransformException(NAME + ": the value at " + Text.location(pointer.text()) + " is the string "
                        + Text.quote(s.value()) + ", which is not a decimal number (expected a JSON number such as"
                        + " 123.45 or a string holding one, such as \"123.45\")");
            }
        } else {
            throw new TransformException(NAME + ": the value at " + Text.location(pointer.text()) + " is "
                    + value.describe() + ", not a number or a string holding a decimal number");
        }
        requireInRange(decimal, pointer);
        byte[] body = CanonicalNumber.format(decimal).getBytes(StandardCharsets.US_ASCII);
        return HttpResponse.of(response.status(), List.of(), body);
    }

    /**
     * Refuses a value outside the decimal range ({@link Decimals}), judged as written without
     * trailing zeros: no replica signs a value that a canister could not render, so every honest
     * replica turns {@code 1e999999999} into the same transform_error.
     */
    private static void requireInRange(BigDecimal decimal, JsonPointer pointer) throws TransformException {
        Optional<String> problem = Decimals.problem(CanonicalNumber.withoutTrailingZeros(decimal));
        if (problem.isPresent()) {
            throw new TransformException(NAME + ": the value at " + Text.location(pointer.text()) + " is "
                    + CanonicalNumber.abbreviated(decimal) + ", outside the decimal range: " + problem.get());
        }
    }

    /** The whole context is the pointer; one trailing line break is allowed. Empty: the whole body. */
    static JsonPointer pointer(byte[] context) throws TransformException {
        String text = Text.utf8(NAME, "context", context);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new TransformException(NAME + ": context must be one JSON Pointer, but it has "
                    + text.split("\r\n|\r|\n", -1).length + " lines");
        }
        try {
            return JsonPointer.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TransformException(NAME + ": context: " + e.getMessage());
        }
    }
}
