package org.outcalls.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code outcalls run} gives the adapter: the demo's own endpoint and CA scope, beside the operator's. */
class RunAdapterConfigurationTest {
    private static final RunAdapterConfiguration.DemoOrigin DEMO = RunAdapterConfiguration.DemoOrigin.of(
            "https://localhost:7443/", "127.0.0.1:7443", "/data/demo/ca.pem");

    @Test
    void theDemoIsAllowedAtItsOwnHostAddressAndPortOnlyAndItsCaIsScopedToThem() {
        Hashtable<String, Object> adapter = RunAdapterConfiguration.of(new Hashtable<>(), null, null, DEMO);
        assertArrayEquals(new String[] {"localhost:7443", "127.0.0.1:7443"}, (String[]) adapter.get("allowTargets"));
        assertArrayEquals(new String[] {"localhost=/data/demo/ca.pem", "127.0.0.1=/data/demo/ca.pem"},
                (String[]) adapter.get("scopedTrustCa"));
        assertFalse(adapter.containsKey("trustCa"), "the demo CA is not trusted for every host");
    }

    @Test
    void theOperatorsFlagsComeFirstAndOverrideTheFile() {
        Hashtable<String, Object> file = new Hashtable<>();
        file.put("allowTargets", "10.0.0.0/8, intranet.example");
        file.put("trustCa", "/etc/file-ca.pem");
        file.put("connectTimeoutMillis", "1500");
        Hashtable<String, Object> adapter = RunAdapterConfiguration.of(file, List.of(Path.of("/etc/flag-ca.pem")),
                List.of("localhost:8443"), DEMO);
        assertArrayEquals(new String[] {"localhost:8443", "localhost:7443", "127.0.0.1:7443"},
                (String[]) adapter.get("allowTargets"));
        assertArrayEquals(new String[] {"/etc/flag-ca.pem"}, (String[]) adapter.get("trustCa"));
        assertEquals("1500", adapter.get("connectTimeoutMillis"));
    }

    @Test
    void withoutFlagsTheFileKeepsItsTargetsAndTheDemoIsAdded() {
        Hashtable<String, Object> file = new Hashtable<>();
        file.put("allowTargets", "10.0.0.0/8, intranet.example");
        file.put("trustCa", "/etc/file-ca.pem");
        Hashtable<String, Object> adapter = RunAdapterConfiguration.of(file, null, null, DEMO);
        assertArrayEquals(new String[] {"10.0.0.0/8", "intranet.example", "localhost:7443", "127.0.0.1:7443"},
                (String[]) adapter.get("allowTargets"));
        assertEquals("/etc/file-ca.pem", adapter.get("trustCa"));
    }

    @Test
    void withoutTheDemoNothingOfItsIsAllowedOrTrusted() {
        Hashtable<String, Object> adapter = RunAdapterConfiguration.of(new Hashtable<>(), null, null, null);
        assertTrue(adapter.isEmpty(), adapter.toString());
    }

    @Test
    void aDemoMarkerThatDisagreesWithItselfIsAnError() {
        String m = assertThrows(IllegalStateException.class, () -> RunAdapterConfiguration.DemoOrigin.of(
                "https://localhost:7443/", "127.0.0.1:7444", "/ca.pem")).getMessage();
        assertTrue(m.contains("https://localhost:7443/") && m.contains("127.0.0.1:7444"), m);
        m = assertThrows(IllegalStateException.class, () -> RunAdapterConfiguration.DemoOrigin.of(
                "https://localhost:7443/", null, "/ca.pem")).getMessage();
        assertTrue(m.contains("lacks"), m);
    }
}
