package org.outcalls.transform.regex.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;
import org.outcalls.api.transform.TransformName;

/**
 * {@code regex}: the context is a Java regular expression; the body (UTF-8) becomes the first
 * group of its first match, or the whole match if the pattern has no group. All headers are
 * dropped; the status is kept. The match stops when the thread is interrupted, so the host's time
 * limit can end a pattern that backtracks catastrophically.
 */
@Component(service = Transform.class)
@TransformName(RegexTransform.NAME)
public final class RegexTransform implements Transform {
    public static final String NAME = "regex";

    @Override
    public HttpResponse apply(HttpResponse response, byte[] context) throws TransformException {
        Pattern pattern = compile(context);
        String body = body(response.body());
        String result;
        try {
            Matcher m = pattern.matcher(new InterruptibleCharSequence(body));
            if (!m.find()) {
                throw new TransformException(NAME + ": the pattern does not match the body ("
                        + response.bodySize() + " bytes)");
            }
            if (m.groupCount() == 0) {
                result = m.group();
            } else if (m.start(1) < 0) {
                throw new TransformException(NAME + ": the first match (at character " + m.start()
                        + ") did not set group 1; make the group non-optional or match only where it takes part");
            } else {
                result = m.group(1);
            }
        } catch (InterruptibleCharSequence.Interrupted e) {
            Thread.currentThread().interrupt(); // keep the host's signal visible to it
            throw new TransformException(NAME + ": matching was interrupted (the host's time limit for transforms"
                    + " ended it); the pattern probably backtracks too much on this body");
        } catch (StackOverflowError e) {
            throw new TransformException(NAME + ": the pattern recursed too deeply on this body ("
                    + response.bodySize() + " bytes); avoid repeating alternations such as (a|b)* over long text");
        }
        return HttpResponse.of(response.status(), List.of(), result.getBytes(StandardCharsets.UTF_8));
    }

    private static Pattern compile(byte[] context) throws TransformException {
        String regex;
        try {
            regex = strict().decode(ByteBuffer.wrap(context)).toString();
        } catch (CharacterCodingException e) {
            throw new TransformException(NAME + ": context is not valid UTF-8 text");
        }
        if (regex.isEmpty()) {
            throw new TransformException(NAME + ": context is empty; give a Java regular expression, such as"
                    + " \"price\":\\s*([0-9.]+)");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new TransformException(NAME + ": invalid pattern: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
    }

    /** The body as strict UTF-8; the message names the offset of the first bad byte. */
    private static String body(byte[] bytes) throws TransformException {
        CharsetDecoder decoder = strict();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()));
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isUnderflow()) {
            throw new TransformException(NAME + ": body is not valid UTF-8 at byte offset " + in.position());
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static CharsetDecoder strict() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
