package org.outcalls.api;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP header as sent or received: names keep their case and order, duplicates are allowed.
 *
 * @param name  the header name, a non-empty RFC 9110 token
 * @param value the header value, without CR, LF or NUL
 */
public record HttpHeader(String name, String value) {

    public HttpHeader {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("header name: must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("header name '" + printable(name)
                        + "': character at index " + i + " is not allowed in an HTTP token");
            }
        }
        if (value == null) {
            throw new IllegalArgumentException("header '" + name + "': value must not be null");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("header '" + name
                        + "': value contains CR, LF or NUL at index " + i);
            }
        }
    }

    /** Bytes of the name and value in UTF-8: what counts toward header limits and fees. */
    public int byteSize() {
        return name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
