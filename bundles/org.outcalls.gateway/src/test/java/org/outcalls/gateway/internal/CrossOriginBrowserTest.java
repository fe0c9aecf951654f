package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attack of the issue in a real headless Chromium: a page from another origin
 * ({@code http://evil.example:Q}, which the browser resolves to loopback) posts an outcall to the
 * gateway as {@code text/plain} (no preflight needed) and tries to read the subnet; then the
 * browser, as after DNS rebinding, loads {@code http://evil.example:P/...} from the gateway's own
 * port. Nothing is submitted and nothing is read. Skipped, saying why, only without Chromium.
 */
class CrossOriginBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static Vertx vertx;
    static InMemoryNode node;
    static GatewayServer gateway;
    static HttpServer attacker;
    static HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium.isPresent(), "SKIPPED: no Chromium found (install Debian's chromium package, "
                + "or set -Doutcalls.chromium=PATH): the cross-origin attack was not tried in a browser");
        vertx = Vertx.vertx();
        node = new InMemoryNode();
        gateway = GatewayServer.start(vertx, node, GatewaySettings.of("127.0.0.1", 0));
        String target = "http://127.0.0.1:" + gateway.port();
        String page = "<!doctype html><title>evil</title><script>\n"
                + "window.results = {};\n"
                + "fetch('" + target + "/api/v1/outcalls', {method: 'POST', mode: 'no-cors',\n"
                + "    headers: {'content-type': 'text/plain'}, body: '{\"url\":\"https://a.example/\"}'})\n"
                + "  .then(function () { results.post = 'sent'; }, function (e) { results.post = 'failed ' + e; });\n"
                + "fetch('" + target + "/api/v1/subnet').then(function (r) { return r.text(); })\n"
                + "  .then(function (t) { results.read = t; }, function () { results.read = 'blocked'; });\n"
                + "</script>";
        attacker = vertx.createHttpServer().requestHandler(req -> req.response().putHeader("content-type", "text/html").end(page))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        browser = new HeadlessChromium(chromium.get(), List.of("--host-resolver-rules=MAP evil.example 127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (vertx != null) {
            gateway.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPageFromAnotherOriginNeitherSubmitsNorReads() throws Exception {
        browser.navigate("http://evil.example:" + attacker.actualPort() + "/");
        assertTrue(browser.waitFor("window.results && results.post && results.read", WAIT),
                "the page's requests never finished: " + browser.eval("JSON.stringify(window.results)"));
        assertEquals("blocked", browser.eval("results.read").asText(), "the page read the gateway's answer");
        assertEquals(0, node.submitted.size(), "the page's text/plain POST submitted an outcall");

        // After rebinding, evil.example is the gateway itself, same-origin for the browser.
        browser.navigate("http://evil.example:" + gateway.port() + "/api/v1/subnet");
        assertTrue(browser.waitFor("document.body && document.body.innerText.indexOf('\"error\"') >= 0", WAIT),
                "the rebound page got no error: " + browser.eval("document.body && document.body.innerText"));
        String text = browser.eval("document.body.innerText").asText();
        assertTrue(text.contains("\"status\":421"), text);
        assertFalse(text.contains("replicas"), "the subnet was read under the rebound name: " + text);
    }
}
