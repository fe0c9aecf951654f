package org.outcalls.transform.json.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.outcalls.api.transform.TransformException;

/** Text helpers for contexts and messages. */
final class Text {
    /** Longest quoted text in a message, in code points. */
    private static final int MAX_QUOTED = 80;

    private Text() {
    }

    /** Decodes strict UTF-8. */
    static String utf8(String transform, String what, byte[] bytes) throws TransformException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TransformException(transform + ": " + what + " is not valid UTF-8 text");
        }
    }

    /** The text in double quotes for a message: control characters escaped, long text cut. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        int count = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (++count > MAX_QUOTED) {
                b.append("...");
                break;
            }
            if (cp < 0x20 || cp == 0x7f || cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                b.append(String.format("\\u%04x", cp));
            } else if (cp == '"' || cp == '\\') {
                b.append('\\').append((char) cp);
            } else {
                b.appendCodePoint(cp);
            }
        }
        return b.append('"').toString();
    }

    /** Names a location for a message: the root, or a pointer. */
    static String location(String pointer) {
        return pointer.isEmpty() ? "the root" : quote(pointer);
    }
}
