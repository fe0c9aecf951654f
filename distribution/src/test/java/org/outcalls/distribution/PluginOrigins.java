package org.outcalls.distribution;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * The HTTPS origin the plugin tests start in the test (driver) JVM. Kept out of the test classes
 * so the probe inside the framework never loads testkit types it cannot see.
 */
final class PluginOrigins {
    static final String HELLO = "hello from the origin";

    private PluginOrigins() {
    }

    /** {@code /hello}: fixed text; {@code /price}: {"price":42}; {@code /echo}: the request's method and body. */
    static ScriptedOrigin start() throws Exception {
        return ScriptedOrigin.start()
                .route("/hello", r -> ScriptedOrigin.Reply.text(HELLO))
                .route("/price", r -> ScriptedOrigin.Reply.json("{\"price\":42}"))
                .route("/echo", r -> new ScriptedOrigin.Reply(200, List.of(),
                        (r.method() + " " + r.bodyText()).getBytes(StandardCharsets.UTF_8)));
    }
}
