package org.outcalls.transform.basic.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;
import org.outcalls.api.transform.TransformName;

class BasicTransformsTest {
    private static final byte[] BODY = "{\"a\":1}".getBytes(UTF_8);
    private static final HttpResponse RESPONSE = HttpResponse.of(203, List.of(
            new HttpHeader("Date", "Sun, 22 Nov 2026 04:00:00 GMT"),
            new HttpHeader("Content-Type", "application/json"),
            new HttpHeader("Set-Cookie", "a=1"),
            new HttpHeader("X-Request-Id", "r-17"),
            new HttpHeader("set-cookie", "b=2")), BODY);

    private final Transform identity = new IdentityTransform();
    private final Transform strip = new StripHeadersTransform();
    private final Transform keep = new KeepHeadersTransform();

    private static byte[] ctx(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> names(HttpResponse r) {
        return r.headers().stream().map(HttpHeader::name).toList();
    }

    @Test
    void registeredNames() {
        assertEquals("identity", IdentityTransform.class.getAnnotation(TransformName.class).value());
        assertEquals("strip-headers", StripHeadersTransform.class.getAnnotation(TransformName.class).value());
        assertEquals("keep-headers", KeepHeadersTransform.class.getAnnotation(TransformName.class).value());
    }

    @Test
    void identityIgnoresItsContext() throws TransformException {
        assertSame(RESPONSE, identity.apply(RESPONSE, new byte[0]));
        assertSame(RESPONSE, identity.apply(RESPONSE, ctx("Date\nnot a header name\u0000")));
    }

    @Test
    void stripWithEmptyContextDropsEveryHeader() throws TransformException {
        for (String c : new String[] {"", "\n", " \r\n\t\n"}) {
            HttpResponse out = strip.apply(RESPONSE, ctx(c));
            assertEquals(List.of(), out.headers(), "context " + c.replace("\n", "\\n"));
            assertEquals(203, out.status());
            assertArrayEquals(BODY, out.body());
        }
    }

    @Test
    void stripDropsNamedHeadersCaseInsensitivelyAndKeepsOrder() throws TransformException {
        HttpResponse out = strip.apply(RESPONSE, ctx("date\r\nSET-COOKIE\n\n  x-unknown  \n"));
        assertEquals(List.of("Content-Type", "X-Request-Id"), names(out));
        assertEquals("application/json", out.headers().get(0).value());
        assertEquals(203, out.status());
        assertArrayEquals(BODY, out.body());
    }

    @Test
    void keepKeepsOnlyNamedHeadersWithDuplicatesAndOrder() throws TransformException {
        HttpResponse out = keep.apply(RESPONSE, ctx("Set-Cookie\ncontent-type"));
        assertEquals(List.of("Content-Type", "Set-Cookie", "set-cookie"), names(out));
        assertEquals(List.of("application/json", "a=1", "b=2"), out.headers().stream().map(HttpHeader::value).toList());
        assertEquals(203, out.status());
        assertArrayEquals(BODY, out.body());
    }

    @Test
    void keepWithEmptyContextKeepsNothing() throws TransformException {
        assertEquals(List.of(), keep.apply(RESPONSE, new byte[0]).headers());
    }

    @Test
    void stripAndKeepAreComplementary() throws TransformException {
        byte[] c = ctx("date\nx-request-id");
        assertEquals(List.of("Content-Type", "Set-Cookie", "set-cookie"), names(strip.apply(RESPONSE, c)));
        assertEquals(List.of("Date", "X-Request-Id"), names(keep.apply(RESPONSE, c)));
    }

    @Test
    void aLineThatIsNotAHeaderNameIsAnErrorNamingTheLine() {
        TransformException e = assertThrows(TransformException.class,
                () -> strip.apply(RESPONSE, ctx("Date\nContent Type\n")));
        assertEquals("strip-headers: context line 2: 'Content Type' is not an HTTP header name"
                + " (expected one name per line)", e.getMessage());
        e = assertThrows(TransformException.class, () -> keep.apply(RESPONSE, ctx("Date: x")));
        assertTrue(e.getMessage().startsWith("keep-headers: context line 1: 'Date: x'"), e.getMessage());
    }

    @Test
    void aContextThatIsNotUtf8IsAnError() {
        TransformException e = assertThrows(TransformException.class,
                () -> keep.apply(RESPONSE, new byte[] {'D', (byte) 0xff}));
        assertEquals("keep-headers: context is not valid UTF-8 text", e.getMessage());
    }

    @Test
    void theInputResponseIsNotModified() throws TransformException {
        HttpResponse copy = HttpResponse.of(RESPONSE.status(), RESPONSE.headers(), RESPONSE.body());
        strip.apply(RESPONSE, ctx("date"));
        keep.apply(RESPONSE, ctx("date"));
        assertEquals(copy, RESPONSE);
    }
}
