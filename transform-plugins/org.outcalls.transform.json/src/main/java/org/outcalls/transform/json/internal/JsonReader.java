package org.outcalls.transform.json.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.outcalls.api.transform.TransformException;
import org.outcalls.transform.json.internal.JsonValue.JArray;
import org.outcalls.transform.json.internal.JsonValue.JNumber;
import org.outcalls.transform.json.internal.JsonValue.JObject;
import org.outcalls.transform.json.internal.JsonValue.JString;
import org.outcalls.transform.json.internal.JsonValue.Literal;

/**
 * Reads a response body as strict RFC 8259 JSON, keeping only the values the pointers
 * reach. The whole body is checked, selected or not: one value and nothing after it, no duplicate
 * member names (compared after unescaping, so {@code "a"} and its backslash-u escaped form are the same name),
 * at most {@link #MAX_DEPTH} nested arrays and objects, numbers of at most
 * {@link CanonicalNumber#MAX_DECIMAL_CHARS} characters. Every error names the byte offset.
 *
 * <p>The encoding is UTF-8, with Jackson's RFC 4627 detection from the first bytes: a leading
 * byte order mark is skipped, and a UTF-16 or UTF-32 body is recognized; malformed UTF-8 is an
 * error. Jackson's streaming parser does the tokenizing.
 */
final class JsonReader {
    /** Deepest nesting of arrays and objects accepted. */
    static final int MAX_DEPTH = 64;

    private final JsonFactory factory;

    JsonReader() {
        factory = JsonFactory.builder()
                // canonicalization stays on (the byte-level UTF-8 parser needs it; it reports byte
                // offsets), but its table never fails on hash collisions: its hash seed comes from
                // the clock, so a failure could differ from replica to replica
                .disable(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW)
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder()
                        // one more than ours, so that our own check (with its message) comes first
                        .maxNestingDepth(MAX_DEPTH + 1)
                        .maxNumberLength(CanonicalNumber.MAX_DECIMAL_CHARS)
                        .build())
                .build();
    }

    /**
     * @param transform names the transform in messages
     * @return the document, with containers partial except where a pointer selects them
     */
    JsonValue read(String transform, byte[] body, PointerTrie selection) throws TransformException {
        JsonParser p;
        try {
            p = factory.createParser(body);
        } catch (IOException e) {
            throw new TransformException(transform + ": body is not JSON: " + oneLine(e.getMessage()));
        }
        try (p) {
            if (p.nextToken() == null) {
                throw new TransformException(transform + ": body is not JSON: it is empty"
                        + (body.length == 0 ? "" : " (only whitespace)"));
            }
            JsonValue root = new Walk(transform, p).value(selection, selection.selected(), 0);
            if (p.nextToken() != null) {
                throw new TransformException(transform + ": body is not JSON: more content after the JSON value"
                        + " at byte offset " + p.currentTokenLocation().getByteOffset());
            }
            return root;
        } catch (IOException e) {
            // JsonParseException carries where it failed; a broken constraint does not, but the parser knows
            JsonLocation at = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? j.getLocation() : p.currentLocation();
            String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new TransformException(transform + ": body is not JSON: " + oneLine(message)
                    + " at byte offset " + at.getByteOffset());
        }
    }

    private static String oneLine(String message) {
        String s = message == null ? "unreadable" : message
                .replaceAll("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
                .replaceAll("\\s+", " ").strip();
        return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }

    /** One pass over the tokens; each method starts on the value's first token. */
    private static final class Walk {
        private final String transform;
        private final JsonParser p;

        Walk(String transform, JsonParser p) {
            this.transform = transform;
            this.p = p;
        }

        /**
         * @param trie where the pointers go from here, or null if none does
         * @param keep whether a pointer selects this value or one that contains it
         * @return the value, or null if nothing of it is needed
         */
        JsonValue value(PointerTrie trie, boolean keep, int depth) throws IOException, TransformException {
            JsonToken t = p.currentToken();
            switch (t) {
                case START_OBJECT:
                    return object(trie, keep, enter(depth));
                case START_ARRAY:
                    return array(trie, keep, enter(depth));
                default:
                    return keep || trie != null ? scalar(t) : null;
            }
        }

        private int enter(int depth) throws TransformException {
            if (depth + 1 > MAX_DEPTH) {
                throw new TransformException(transform + ": body nests arrays and objects deeper than " + MAX_DEPTH
                        + " levels at byte offset " + p.currentTokenLocation().getByteOffset());
            }
            return depth + 1;
        }

        private JsonValue object(PointerTrie trie, boolean keep, int depth) throws IOException, TransformException {
            TreeMap<String, JsonValue> members = keep || trie != null ? new TreeMap<>() : null;
            Set<String> names = keep ? null : new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                long offset = p.currentTokenLocation().getByteOffset();
                p.nextToken();
                PointerTrie child = keep || trie == null ? null : trie.child(name);
                boolean keepChild = keep || child != null && child.selected();
                JsonValue v = value(child, keepChild, depth);
                boolean fresh = keep ? members.put(name, v) == null : names.add(name);
                if (!fresh) {
                    throw new TransformException(transform + ": body has duplicate key " + Text.quote(name)
                            + " at byte offset " + offset);
                }
                if (!keep && v != null && members != null) {
                    members.put(name, v);
                }
            }
            return members == null ? null : new JObject(members, keep);
        }

        private JsonValue array(PointerTrie trie, boolean keep, int depth) throws IOException, TransformException {
            List<JsonValue> elements = keep || trie != null ? new ArrayList<>() : null;
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                PointerTrie child = keep || trie == null ? null : trie.child(Integer.toString(index));
                boolean keepChild = keep || child != null && child.selected();
                JsonValue v = value(child, keepChild, depth);
                if (elements != null) {
                    elements.add(v);
                }
                index++;
            }
            return elements == null ? null : new JArray(elements, keep);
        }

        private JsonValue scalar(JsonToken t) throws IOException, TransformException {
            switch (t) {
                case VALUE_STRING:
                    return new JString(p.getText());
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    return number();
                case VALUE_TRUE:
                    return Literal.TRUE;
                case VALUE_FALSE:
                    return Literal.FALSE;
                case VALUE_NULL:
                    return Literal.NULL;
                default:
                    throw new TransformException(transform + ": body is not JSON: unexpected " + t
                            + " at byte offset " + p.currentTokenLocation().getByteOffset());
            }
        }

        private JsonValue number() throws IOException, TransformException {
            String text = p.getText();
            try {
                return new JNumber(new BigDecimal(text));
            } catch (NumberFormatException e) {
                throw new TransformException(transform + ": the number at byte offset "
                        + p.currentTokenLocation().getByteOffset()
                        + " has an exponent too large to represent (beyond ±2147483647)");
            }
        }
    }
}
