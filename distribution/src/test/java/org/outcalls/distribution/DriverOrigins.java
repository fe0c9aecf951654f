package org.outcalls.distribution;

import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * HTTPS origins the Pax Exam tests start in the test (driver) JVM. Kept out of the test classes so
 * the probe inside the framework never loads testkit types it cannot see.
 */
final class DriverOrigins {
    private DriverOrigins() {
    }

    /** Serves {@code text} at {@code /fixed}. */
    static ScriptedOrigin fixed(String text) throws Exception {
        return ScriptedOrigin.start().route("/fixed", r -> ScriptedOrigin.Reply.text(text));
    }
}
