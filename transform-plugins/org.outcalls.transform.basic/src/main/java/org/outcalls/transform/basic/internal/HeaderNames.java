package org.outcalls.transform.basic.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.transform.TransformException;

/**
 * Parses a context of header names: UTF-8 text, one name per line (LF or CRLF), spaces and tabs
 * around a name ignored, blank lines skipped. Names compare case-insensitively, so they are kept
 * in lower case.
 */
final class HeaderNames {
    private HeaderNames() {
    }

    /** The lower-case names in the context, sorted; empty if the context names none. */
    static Set<String> parse(String transform, byte[] context) throws TransformException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(context)).toString();
        } catch (CharacterCodingException e) {
            throw new TransformException(transform + ": context is not valid UTF-8 text");
        }
        Set<String> names = new TreeSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String name = lines[i].strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!isToken(name)) {
                throw new TransformException(transform + ": context line " + (i + 1) + ": '" + abbreviate(name)
                        + "' is not an HTTP header name (expected one name per line)");
            }
            names.add(lower(name));
        }
        return names;
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static boolean contains(Set<String> lowerNames, HttpHeader header) {
        return lowerNames.contains(lower(header.name()));
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(64).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return s.codePointCount(0, s.length()) > 64 ? b + "..." : b.toString();
    }
}
