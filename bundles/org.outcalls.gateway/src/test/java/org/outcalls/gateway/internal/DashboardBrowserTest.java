package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real headless Chromium: it loads, updates live (no reload) as an outcall goes
 * from in flight to completed, and shows a no-consensus with the JSON field that differed. The
 * page is saved as {@code target/dashboard.png}. Skipped, saying why, only when no Chromium is
 * installed ({@code .ci/run} installs Debian's {@code chromium}).
 */
class DashboardBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    static LiveGateway gw;
    static HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium.isPresent(), "SKIPPED: no Chromium found (install Debian's chromium package, "
                + "as .ci/run does, or set -Doutcalls.chromium=PATH): the dashboard was not tested in a browser");
        gw = new LiveGateway();
        browser = new HeadlessChromium(chromium.get());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    private static void await(String what, String expression) throws Exception {
        assertTrue(browser.waitFor(expression, WAIT), what + " (" + expression + ") never became true; page: "
                + browser.eval("document.querySelector('main') && document.querySelector('main').innerText"));
    }

    @Test
    void theDashboardFollowsAnOutcallLiveAndShowsWhatDifferedInANoConsensus() throws Exception {
        browser.navigate(gw.base + "/");
        await("the page loads and receives a snapshot",
                "document.getElementById('live') && +document.getElementById('live').dataset.updates >= 1");
        await("four replicas are up", "document.querySelectorAll('#replicas tr[data-state=\"up\"]').length === 4");
        assertTrue(browser.eval("document.getElementById('agreement').textContent").asText().contains("agree"));
        browser.eval("window.__sameDocument = 'yes'");

        String held = gw.submit("/held");
        await("the outcall appears in flight", "document.querySelector('#inflight tr[data-outcall=\"" + held + "\"]')");
        gw.release();
        await("the same outcall is listed completed",
                "document.querySelector('#recent tr[data-outcall=\"" + held + "\"][data-status=\"completed\"]')");
        await("and is no longer in flight", "!document.querySelector('#inflight tr[data-outcall=\"" + held + "\"]')");
        assertEquals("yes", browser.eval("window.__sameDocument").asText(), "the page updated without a reload");

        String divergent = gw.submit("/price");
        String row = "#noconsensus div[data-outcall=\"" + divergent + "\"] tr[data-field=\"body /price/usd\"]";
        await("the no-consensus shows the differing JSON field", "document.querySelector('" + row.replace("'", "\\'") + "')");
        String text = browser.eval("document.querySelector('" + row.replace("'", "\\'") + "').innerText").asText();
        // a no-consensus is proven once n - f = 3 answers differ, so the fourth may never be counted
        long shown = java.util.stream.Stream.of("10.25", "11.25", "12.25", "13.25").filter(text::contains).count();
        assertTrue(shown >= 3, "each counted replica's value is shown (at least 3 of the 4): " + text);
        await("the latency histogram has observations", "document.querySelector('#latency-e2e .row')");
        await("each plugin shows its enabled version and the replicas that have it",
                "document.querySelector('#plugin-versions tr[data-plugin=\"two-thirds\"]') && document.querySelector("
                + "'#plugin-versions tr[data-plugin=\"two-thirds\"]').innerText.includes('0.1.0 [0, 1, 2, 3]')");
        browser.screenshot(Path.of("target", "dashboard.png"));
    }
}
