package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad configuration value fails activation with a message naming the key and the value. */
class SettingsTest {

    private static String failure(AdapterSettings.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void defaultsWork() {
        AdapterSettings s = AdapterSettings.builder().build();
        assertEquals(2000, s.connectTimeoutMillis);
        assertEquals(30000, s.requestTimeoutMillis);
        assertNull(s.socksHost);
        assertEquals("outcalls/1.0", s.userAgent);
    }

    @Test
    void malformedAllowTargetIsNamed() {
        String m = failure(AdapterSettings.builder().allowTarget("10.0.0.0/33"));
        assertTrue(m.contains("allowTargets") && m.contains("10.0.0.0/33"), m);
        m = failure(AdapterSettings.builder().allowTarget("not a host!"));
        assertTrue(m.contains("allowTargets") && m.contains("not a host!"), m);
    }

    @Test
    void unreadableOrEmptyPemIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        String m = failure(AdapterSettings.builder().trustCa(missing));
        assertTrue(m.contains("trustCa") && m.contains(missing.toString()) && m.contains("cannot be read"), m);
        Path junk = Files.writeString(dir.resolve("junk.pem"), "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
        m = failure(AdapterSettings.builder().trustCa(junk));
        assertTrue(m.contains("trustCa") && m.contains(junk.toString()), m);
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        m = failure(AdapterSettings.builder().trustCa(empty));
        assertTrue(m.contains("trustCa") && m.contains("no certificate"), m);
    }

    @Test
    void otherBadValuesAreNamed() {
        assertTrue(failure(AdapterSettings.builder().socksProxy("proxy")).contains("socksProxy = 'proxy'"));
        assertTrue(failure(AdapterSettings.builder().socksProxy("proxy:99999")).contains("socksProxy"));
        assertTrue(failure(AdapterSettings.builder().connectTimeoutMillis(0)).contains("connectTimeoutMillis = '0'"));
        assertTrue(failure(AdapterSettings.builder().requestTimeoutMillis(-1)).contains("requestTimeoutMillis"));
        assertTrue(failure(AdapterSettings.builder().maxConnectionsPerHost(0)).contains("maxConnectionsPerHost"));
        assertTrue(failure(AdapterSettings.builder().idleTimeoutSeconds(0)).contains("idleTimeoutSeconds"));
        assertTrue(failure(AdapterSettings.builder().userAgent("")).contains("userAgent"));
        AdapterSettings s = AdapterSettings.builder().socksProxy("[::1]:1080").build();
        assertEquals("::1", s.socksHost);
        assertEquals(1080, s.socksPort);
    }

    @Test
    void nameServersAreAddressesWithOptionalPorts() {
        AdapterSettings s = AdapterSettings.builder().dnsServer("10.0.0.53").dnsServer("127.0.0.1:5353")
                .dnsServer("[::1]:53").dnsServer("[fd00::53]").build();
        assertEquals("[/10.0.0.53:53, /127.0.0.1:5353, /[0:0:0:0:0:0:0:1]:53, /[fd00:0:0:0:0:0:0:53]:53]",
                s.dnsServers.toString());
        assertTrue(AdapterSettings.builder().build().dnsServers.isEmpty(), "default: the system's name servers");
        for (String bad : new String[] {"ns1.example.com", "10.0.0.53:0", "10.0.0.53:70000", "10.0.0.256", "[::1]x",
                ""}) {
            String m = failure(AdapterSettings.builder().dnsServer(bad));
            assertTrue(m.contains("dnsServers = '" + bad + "'") && m.contains("ip, ip:port or [ipv6]:port"), m);
        }
    }

    @Test
    void componentConfigurationAcceptsCommaListsAsACfgFileGivesThem() {
        AdapterComponent.Config config = (AdapterComponent.Config) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {AdapterComponent.Config.class}, (p, m, a) ->
                        m.getName().equals("allowTargets") ? new String[] {"127.0.0.1, 10.0.0.0/8"} : m.getDefaultValue());
        AdapterSettings s = AdapterComponent.settings(config);
        assertNull(s.destinations.refusal("x", java.net.InetAddress.getLoopbackAddress()));
        String m = assertThrows(IllegalArgumentException.class, () -> AdapterComponent.settings(
                (AdapterComponent.Config) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {AdapterComponent.Config.class}, (p, mm, a) ->
                                mm.getName().equals("allowTargets") ? new String[] {"10.0.0.0/40"} : mm.getDefaultValue())))
                .getMessage();
        assertTrue(m.contains("allowTargets = '10.0.0.0/40'"), m);
    }
}
