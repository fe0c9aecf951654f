package org.outcalls.canister.proxy.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.outcalls.api.canister.CanisterException;

/** Reads {@code top_up}'s argument: lines {@code PRINCIPAL CYCLES}, each principal once. */
final class TopUpArgument {
    static final int MAX_LINES = 100;
    private static final Pattern PRINCIPAL = Pattern.compile("[0-9a-f]{64}");

    private TopUpArgument() {
    }

    /** Principal → cycles, sorted, so every replica credits in the same order. */
    static SortedMap<String, Long> parse(byte[] argument) throws CanisterException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(argument)).toString();
        } catch (CharacterCodingException e) {
            throw Refusals.invalidArgument("top_up: the argument is not UTF-8 text (expected lines PRINCIPAL CYCLES)");
        }
        String[] lines = text.strip().isEmpty() ? new String[0] : text.strip().split("\n");
        if (lines.length == 0 || lines.length > MAX_LINES) {
            throw Refusals.invalidArgument("top_up: expected 1.." + MAX_LINES + " lines PRINCIPAL CYCLES, got "
                    + lines.length);
        }
        SortedMap<String, Long> out = new TreeMap<>();
        for (int i = 0; i < lines.length; i++) {
            String[] parts = lines[i].strip().split(" ");
            String where = "top_up: line " + (i + 1) + ": ";
            if (parts.length != 2) {
                throw Refusals.invalidArgument(where + "expected PRINCIPAL CYCLES");
            }
            if (!PRINCIPAL.matcher(parts[0]).matches()) {
                throw Refusals.invalidArgument(where + "principal: expected 64 lower-case hex digits");
            }
            long cycles;
            try {
                cycles = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                cycles = -1;
            }
            if (cycles < 1) {
                throw Refusals.invalidArgument(where + "cycles: expected a whole number within 1.." + Long.MAX_VALUE);
            }
            if (out.put(parts[0], cycles) != null) {
                throw Refusals.invalidArgument(where + "principal " + parts[0] + " is listed twice");
            }
        }
        return out;
    }
}
