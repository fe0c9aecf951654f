package org.outcalls.transform.regex.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.TransformException;
import org.outcalls.api.transform.TransformName;

class RegexTransformTest {
    private final RegexTransform regex = new RegexTransform();

    private static HttpResponse response(String body) {
        return HttpResponse.of(200, List.of(new HttpHeader("Date", "Sun, 22 Nov 2026 04:00:00 GMT")), body.getBytes(UTF_8));
    }

    private String apply(String body, String pattern) throws TransformException {
        return new String(regex.apply(response(body), pattern.getBytes(UTF_8)).body(), UTF_8);
    }

    private String error(String body, String pattern) {
        return assertThrows(TransformException.class, () -> apply(body, pattern)).getMessage();
    }

    @Test
    void registeredName() {
        assertEquals("regex", RegexTransform.class.getAnnotation(TransformName.class).value());
    }

    @Test
    void theBodyBecomesTheFirstGroupOfTheFirstMatch() throws TransformException {
        String body = "{\"time\":\"04:00:01\",\"price\": 123.45, \"other\":{\"price\":9}}";
        assertEquals("123.45", apply(body, "\"price\":\\s*([0-9.]+)"));
        assertEquals("123", apply(body, "\"price\":\\s*([0-9]+)\\.([0-9]+)"), "the first group, not the last");
        assertEquals("45", apply(body, "(?:\"price\":\\s*[0-9]+)\\.([0-9]+)"), "non-capturing groups do not count");
    }

    @Test
    void withoutAGroupTheWholeMatch() throws TransformException {
        assertEquals("price\": 12", apply("{\"price\": 12}", "price\\W+\\d+"));
    }

    @Test
    void statusIsKeptAndHeadersAreDropped() throws TransformException {
        HttpResponse out = regex.apply(HttpResponse.of(418, List.of(new HttpHeader("X", "y")), "abc".getBytes(UTF_8)),
                "b".getBytes(UTF_8));
        assertEquals(418, out.status());
        assertEquals(List.of(), out.headers());
        assertEquals("b", new String(out.body(), UTF_8));
    }

    @Test
    void theBodyIsReadAsUtf8AndTheResultWrittenAsUtf8() throws TransformException {
        assertEquals("€ 1.5 😀", apply("price: € 1.5 😀!", "price: (.*)!"));
        assertEquals("😀", apply("a😀b", "a(.)b"), "a supplementary character is one character to the pattern");
        String e = assertThrows(TransformException.class,
                () -> regex.apply(HttpResponse.of(200, List.of(), new byte[] {'a', 'b', (byte) 0xff, 'c'}), "b".getBytes(UTF_8)))
                .getMessage();
        assertEquals("regex: body is not valid UTF-8 at byte offset 2", e);
    }

    @Test
    void patternFlagsInlineWork() throws TransformException {
        assertEquals("VALUE", apply("Key: VALUE\n", "(?i)key:\\s*(\\S+)"));
        assertEquals("a\nb", apply("<x>a\nb</x>", "(?s)<x>(.*)</x>"));
    }

    @Test
    void noMatchIsAnError() {
        assertEquals("regex: the pattern does not match the body (9 bytes)", error("{\"a\": 1}\n", "\"price\":(\\d+)"));
        assertEquals("regex: the pattern does not match the body (0 bytes)", error("", "x"));
    }

    @Test
    void anOptionalGroupThatDidNotTakePartIsAnError() {
        assertEquals("regex: the first match (at character 0) did not set group 1; make the group non-optional"
                + " or match only where it takes part", error("b", "(a)?b"));
    }

    @Test
    void anInvalidPatternNamesTheErrorAndItsPosition() {
        assertEquals("regex: invalid pattern: Unclosed group at index 9", error("x", "price:(\\d"));
        assertEquals("regex: invalid pattern: Dangling meta character '*' at index 0", error("x", "*a"));
        assertEquals("regex: invalid pattern: Unclosed character class at index 3", error("x", "[a-z"));
    }

    @Test
    void anEmptyOrNonUtf8ContextIsAnError() {
        assertEquals("regex: context is empty; give a Java regular expression, such as \"price\":\\s*([0-9.]+)",
                error("x", ""));
        String e = assertThrows(TransformException.class,
                () -> regex.apply(response("x"), new byte[] {'(', (byte) 0xc0, ')'})).getMessage();
        assertEquals("regex: context is not valid UTF-8 text", e);
    }

    @Test
    void deepRecursionIsAnErrorNotACrash() {
        // alternation under a star recurses once per character in java.util.regex
        String body = "ab".repeat(200_000);
        String e = error(body, "^(a|b)*$");
        assertTrue(e.startsWith("regex: the pattern recursed too deeply on this body (400000 bytes)"), e);
    }

    @Test
    void anInterruptStopsACatastrophicPattern() throws InterruptedException {
        // (.*a){20}b over 64 a's and no b: about C(64, 20) = 2e16 ways to split them, each tried;
        // Java 9+ memoizes simpler cases such as (a+)+b, but not this one
        HttpResponse body = response("a".repeat(64) + "!");
        byte[] pattern = "(.*a){20}b".getBytes(UTF_8);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            started.countDown();
            try {
                regex.apply(body, pattern);
            } catch (Throwable t) {
                thrown.set(t);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        }, "regex-under-test");
        worker.setDaemon(true); // if the interrupt were ignored, do not keep the test JVM alive
        worker.start();
        started.await();
        Thread.sleep(200); // let the match get deep into backtracking first
        assertTrue(worker.isAlive(), "the pattern ended by itself; it is not catastrophic enough to test this");
        worker.interrupt();
        worker.join(60_000); // a guard against hanging the build, not a speed assertion: it ends in microseconds
        assertFalse(worker.isAlive(), "the match ignored the interrupt");
        assertNotNull(thrown.get());
        assertInstanceOf(TransformException.class, thrown.get());
        assertEquals("regex: matching was interrupted (the host's time limit for transforms ended it);"
                + " the pattern probably backtracks too much on this body", thrown.get().getMessage());
        assertTrue(stillInterrupted.get(), "the interrupt status is kept for the host");
    }

    @Test
    void anInterruptBeforeTheMatchAlsoStopsIt() {
        Thread.currentThread().interrupt();
        try {
            String e = error("a".repeat(10_000), "(.*a){20}b");
            assertTrue(e.startsWith("regex: matching was interrupted"), e);
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aNormalMatchIgnoresNothingAndLeavesNoInterrupt() throws TransformException {
        String body = "x".repeat(100_000) + "price=7";
        assertEquals("7", apply(body, "price=(\\d)"));
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
