package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformName;
import org.outcalls.methods.internal.Methods;
import org.outcalls.quorum.twothirds.internal.TwoThirdsPolicy;

/** Outside OSGi the testkit names plugins as their bundles would: by @TransformName / @PolicyName. */
class InstalledPluginsTest {
    @TransformName("echo")
    static final class Echo implements Transform {
        @Override
        public HttpResponse apply(HttpResponse response, byte[] context) {
            return response;
        }
    }

    static final class Nameless implements Transform {
        @Override
        public HttpResponse apply(HttpResponse response, byte[] context) {
            return response;
        }
    }

    @Test
    void namesComeFromTheAnnotationsAndVersionsFromTheTest() {
        InstalledPlugins installed = new InstalledPlugins();
        installed.add(new Echo(), "1.0.0");
        installed.add(new Echo(), "1.2.0");
        installed.add(new TwoThirdsPolicy(), "0.1.0");
        installed.add(new Methods(), "3.0.0");
        Map<String, String> enabled = new TreeMap<>();
        installed.enableAll(enabled);
        assertEquals(Map.of("echo", "1.2.0", "two-thirds", "0.1.0", "methods", "3.0.0"), enabled);
        assertTrue(installed.live().serves("echo", "1.0.0"));
    }

    @Test
    void uninstallingRemovesThatObjectAndKeepsItForPinnedRequests() {
        InstalledPlugins installed = new InstalledPlugins();
        Echo old = new Echo();
        installed.add(old, "1.0.0");
        var live = installed.live();
        assertFalse(installed.remove(new Echo(), live), "another object of the same class is not installed");
        assertTrue(installed.remove(old, live));
        assertFalse(live.serves("echo", "1.0.0"));
        assertEquals(1, live.retiredCount());
    }

    @Test
    void aPluginWithoutItsNameOrWithABadVersionIsRefusedPrecisely() {
        InstalledPlugins installed = new InstalledPlugins();
        assertEquals("transform " + Nameless.class.getName() + " has no @TransformName: annotate the class with"
                        + " @TransformName(\"<the name requests use>\"), as its bundle must",
                assertThrows(IllegalArgumentException.class, () -> installed.add(new Nameless(), "1.0.0")).getMessage());
        assertEquals("version: expected major.minor.micro, was '1.0'",
                assertThrows(IllegalArgumentException.class, () -> installed.add(new Echo(), "1.0")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> installed.add("text", "1.0.0")).getMessage()
                .endsWith("is not a Transform, AgreementPolicy or MethodSupport"));
        assertThrows(IllegalArgumentException.class, () -> TestSubnet.builder().plugin(new Nameless()));
    }
}
