package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutcallsOptionsTest {

    @Test
    void theRuntimeIsTheTestkitsRuntimeDependenciesPlusTheRest() {
        List<String> all = OutcallsOptions.bundleCoordinates();
        for (String expected : List.of("org.outcalls:org.outcalls.api:", "org.outcalls:org.outcalls.replica:",
                "org.outcalls:org.outcalls.gateway:", "org.outcalls:org.outcalls.shell:",
                "org.outcalls:org.outcalls.quorum.twothirds:", "org.apache.felix:org.apache.felix.scr:",
                "io.netty:netty-common:", "com.fasterxml.jackson.core:jackson-databind:")) {
            assertTrue(all.stream().anyMatch(c -> c.startsWith(expected)), expected + " missing from " + all);
        }
        for (String c : all) {
            String[] gav = c.split(":");
            assertTrue(gav.length == 3 && !gav[2].isBlank() && !gav[2].contains("$"), "not g:a:v: " + c);
            assertFalse(c.startsWith("junit") || c.startsWith("org.ops4j") || c.startsWith("org.hamcrest"), c);
        }
        assertTrue(all.size() == all.stream().map(c -> c.substring(0, c.lastIndexOf(':'))).distinct().count(), "one version each");
    }
}
