package org.outcalls.adapter.internal;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

/** Headers between the API's form (UTF-8 text) and the wire's (bytes in Latin-1 strings). */
final class WireHeaders {
    private WireHeaders() {
    }

    /** HTTP allows visible characters, space and tab in a value; the API also lets other controls through. */
    static Reject unsendable(OutcallRequest request) {
        for (HttpHeader h : request.headers()) {
            String v = h.value();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    return Reject.of(RejectCode.SYS_FATAL, RejectKind.INVALID_ARGUMENT, "request header '"
                            + TargetUrl.abbreviate(h.name()) + "' has the control character U+"
                            + String.format("%04X", (int) c) + " at index " + i
                            + "; header values may hold visible characters, spaces and tabs");
                }
            }
        }
        return null;
    }

    /**
     * The caller's headers in order (values as UTF-8 bytes), without the framing headers the
     * client computes itself, plus the default user-agent if the caller sent none.
     */
    static MultiMap toSend(OutcallRequest request, String defaultUserAgent) {
        MultiMap out = HttpHeaders.headers();
        boolean userAgent = false;
        for (HttpHeader h : request.headers()) {
            String name = h.name();
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")) {
                continue;
            }
            userAgent |= name.equalsIgnoreCase("user-agent");
            out.add(name, new String(h.value().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
        if (!userAgent) {
            out.add("user-agent", defaultUserAgent);
        }
        return out;
    }

    /** Response headers as received: names and order kept, values read as UTF-8 where they are. */
    static List<HttpHeader> received(MultiMap headers) {
        List<HttpHeader> out = new ArrayList<>();
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().startsWith(":")) {
                continue;
            }
            // Bounded: the decoder refuses more than Failures.DECODER_MAX_HEADER_BYTES of headers.
            out.add(new HttpHeader(e.getKey(), utf8OrLatin1(e.getValue())));
        }
        return out;
    }

    private static String utf8OrLatin1(String wire) {
        boolean ascii = true;
        for (int i = 0; i < wire.length() && ascii; i++) {
            ascii = wire.charAt(i) < 0x80;
        }
        if (ascii) {
            return wire;
        }
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return wire;
        }
    }
}
