package org.outcalls.transform.json.internal;

import java.util.List;
import org.outcalls.api.transform.TransformException;
import org.outcalls.transform.json.internal.JsonValue.JArray;
import org.outcalls.transform.json.internal.JsonValue.JObject;

/** Follows a pointer through a document read by {@link JsonReader}, explaining where it stops. */
final class Selection {
    private Selection() {
    }

    static JsonValue resolve(String transform, JsonValue root, JsonPointer pointer) throws TransformException {
        JsonValue current = root;
        List<String> tokens = pointer.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String at = Text.location(pointer.prefix(i));
            JsonValue next;
            if (current instanceof JObject o) {
                next = o.members().get(token);
                if (next == null) {
                    throw notFound(transform, pointer, "the object at " + at + " has no member " + Text.quote(token));
                }
            } else if (current instanceof JArray a) {
                int index = JsonPointer.arrayIndex(token);
                if (index < 0) {
                    throw notFound(transform, pointer, Text.quote(token) + " is not an array index, and the value at "
                            + at + " is an array" + (token.equals("-") ? " (\"-\" names the element after the last one)" : ""));
                }
                if (index >= a.elements().size()) {
                    int size = a.elements().size();
                    throw notFound(transform, pointer, "index " + token + " is out of range: the array at " + at
                            + " has " + size + (size == 1 ? " element" : " elements"));
                }
                next = a.elements().get(index);
            } else {
                throw notFound(transform, pointer, "the value at " + at + " is " + current.describe()
                        + ", not an object or an array");
            }
            current = next;
        }
        return current;
    }

    private static TransformException notFound(String transform, JsonPointer pointer, String why) {
        return new TransformException(transform + ": pointer " + Text.location(pointer.text()) + " not found: " + why);
    }
}
