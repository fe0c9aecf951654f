package org.outcalls.replica;

import java.nio.charset.StandardCharsets;

/**
 * Checks for the names used in replicated state: canister ids, plugin names and versions, methods.
 * Exported because the messages and the registry this package exports obey them.
 */
public final class Names {
    public static final int MAX_CANISTER_ID_BYTES = 64;
    public static final int MAX_PLUGIN_NAME_BYTES = 128;
    public static final int MAX_VERSION_BYTES = 64;
    public static final int MAX_METHOD_BYTES = 256;

    private Names() {
    }

    /** {@code [A-Za-z0-9._-]}, 1 to 64 characters. */
    public static String checkCanisterId(String field, String id) {
        return check(field, id, MAX_CANISTER_ID_BYTES, "._-");
    }

    /** {@code [A-Za-z0-9._-]}, 1 to 128 characters. */
    public static String checkPluginName(String field, String name) {
        return check(field, name, MAX_PLUGIN_NAME_BYTES, "._-");
    }

    /** {@code [A-Za-z0-9._+-]}, 1 to 64 characters, such as an OSGi version. */
    public static String checkVersion(String field, String version) {
        return check(field, version, MAX_VERSION_BYTES, "._+-");
    }

    /** Any text of 1 to 256 UTF-8 bytes without control characters. */
    public static String checkMethod(String field, String method) {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException(field + ": must not be empty");
        }
        int bytes = method.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_METHOD_BYTES) {
            throw new IllegalArgumentException(field + ": " + bytes + " bytes; at most " + MAX_METHOD_BYTES
                    + " are allowed");
        }
        for (int i = 0; i < method.length(); i++) {
            if (Character.isISOControl(method.charAt(i))) {
                throw new IllegalArgumentException(field + ": control character at index " + i);
            }
        }
        checkUnicode(field, method);
        return method;
    }

    /** Refuses unpaired surrogates, which have no UTF-8 encoding (two such keys would encode alike). */
    public static void checkUnicode(String field, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new IllegalArgumentException(field + ": unpaired surrogate at index " + i);
            }
            if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException(field + ": unpaired surrogate at index " + i);
            }
        }
    }

    private static String check(String field, String s, int max, String extra) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(field + ": must not be empty");
        }
        if (s.length() > max) {
            throw new IllegalArgumentException(field + ": " + s.length() + " characters; at most " + max
                    + " are allowed");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || extra.indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException(field + ": '" + s + "' has a character at index " + i
                        + " outside [A-Za-z0-9" + extra + "]");
            }
        }
        return s;
    }
}
