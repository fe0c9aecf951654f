package org.outcalls.api.verify;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed JSON object with its path in the document, read field by field: every missing field
 * or wrong type is a {@link DocumentException} naming the field's full path.
 */
final class JsonObject {
    private final Map<String, Object> fields;
    private final String path;

    private JsonObject(Map<String, Object> fields, String path) {
        this.fields = fields;
        this.path = path;
    }

    /** The document's top-level object. */
    static JsonObject root(String json, String what) throws DocumentException {
        Object v = Json.parse(json, what);
        if (!(v instanceof Map<?, ?>)) {
            throw new DocumentException(what, "must be a JSON object");
        }
        return of(v, "");
    }

    @SuppressWarnings("unchecked")
    private static JsonObject of(Object v, String path) {
        return new JsonObject((Map<String, Object>) v, path);
    }

    String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    boolean has(String name) {
        Object v = fields.get(name);
        return v != null && v != Json.NULL;
    }

    private Object required(String name) throws DocumentException {
        if (!has(name)) {
            throw new DocumentException(path(name), "is required");
        }
        return fields.get(name);
    }

    String text(String name) throws DocumentException {
        Object v = required(name);
        if (!(v instanceof String s)) {
            throw new DocumentException(path(name), "must be a string");
        }
        return s;
    }

    Optional<String> optionalText(String name) throws DocumentException {
        return has(name) ? Optional.of(text(name)) : Optional.empty();
    }

    /** A whole number within {@code [0, Long.MAX_VALUE]}. */
    long whole(String name) throws DocumentException {
        return whole(name, 0, Long.MAX_VALUE);
    }

    /** A whole number within {@code [min, max]}. */
    long whole(String name, long min, long max) throws DocumentException {
        return whole(required(name), path(name), min, max);
    }

    Optional<Long> optionalWhole(String name) throws DocumentException {
        return has(name) ? Optional.of(whole(name)) : Optional.empty();
    }

    private static long whole(Object v, String field, long min, long max) throws DocumentException {
        if (!(v instanceof BigDecimal n)) {
            throw new DocumentException(field, "must be a whole number");
        }
        BigDecimal stripped = n.signum() == 0 ? BigDecimal.ZERO : n.stripTrailingZeros();
        // the digit count is checked before any conversion: 1e999999999 must not be expanded
        if (stripped.scale() > 0 || stripped.precision() - stripped.scale() > 19) {
            throw new DocumentException(field, "must be a whole number within " + min + ".." + max + ", got " + n);
        }
        BigDecimal lo = BigDecimal.valueOf(min);
        BigDecimal hi = BigDecimal.valueOf(max);
        if (stripped.compareTo(lo) < 0 || stripped.compareTo(hi) > 0) {
            throw new DocumentException(field, "must be within " + min + ".." + max + ", got " + n);
        }
        return stripped.longValueExact();
    }

    JsonObject object(String name) throws DocumentException {
        Object v = required(name);
        if (!(v instanceof Map<?, ?>)) {
            throw new DocumentException(path(name), "must be an object");
        }
        return of(v, path(name));
    }

    Optional<JsonObject> optionalObject(String name) throws DocumentException {
        return has(name) ? Optional.of(object(name)) : Optional.empty();
    }

    /** The objects of an array field, each with its path ({@code name[i]}). */
    List<JsonObject> objects(String name) throws DocumentException {
        Object v = required(name);
        if (!(v instanceof List<?> list)) {
            throw new DocumentException(path(name), "must be an array");
        }
        java.util.ArrayList<JsonObject> out = new java.util.ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String p = path(name) + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?>)) {
                throw new DocumentException(p, "must be an object");
            }
            out.add(of(list.get(i), p));
        }
        return out;
    }

    byte[] base64(String name) throws DocumentException {
        String s = text(name);
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new DocumentException(path(name), "is not valid base64: " + e.getMessage());
        }
    }

    /** 64 lower-case hex digits. */
    String hash(String name) throws DocumentException {
        String s = text(name);
        Hex.hash(s, path(name));
        return s;
    }
}
