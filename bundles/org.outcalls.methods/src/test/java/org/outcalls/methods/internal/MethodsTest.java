package org.outcalls.methods.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.TransformSpec;
import org.outcalls.api.methods.MethodSupport;

class MethodsTest {
    private static final String SUBNET = "6f1c0a8e2b";
    private final MethodSupport methods = new Methods();

    private static OutcallRequest post(HttpHeader... headers) {
        OutcallRequest.Builder b = OutcallRequest.builder("https://api.example.com/orders").method(HttpMethod.POST)
                .body("{\"qty\":1}".getBytes(UTF_8)).maxResponseBytes(4096).transform(TransformSpec.of("json", "/id"));
        for (HttpHeader h : headers) {
            b.header(h);
        }
        return b.build();
    }

    private static String key(OutcallRequest r) {
        List<HttpHeader> keys = r.headers().stream().filter(h -> h.name().equalsIgnoreCase("Idempotency-Key")).toList();
        assertEquals(1, keys.size(), r.headers().toString());
        return keys.get(0).value();
    }

    @Test
    void theNameIsMethods() {
        assertEquals("methods", MethodSupport.NAME);
    }

    @Test
    void aReplicatedPostGetsA32HexKeyAtTheEndAndIsOtherwiseUnchanged() {
        OutcallRequest in = post(new HttpHeader("Content-Type", "application/json"));
        OutcallRequest out = methods.prepare(in, SUBNET, 17, true);
        assertEquals(2, out.headers().size());
        assertEquals(new HttpHeader("Content-Type", "application/json"), out.headers().get(0));
        assertEquals("Idempotency-Key", out.headers().get(1).name());
        assertTrue(key(out).matches("[0-9a-f]{32}"), key(out));
        assertEquals(in.withHeaders(out.headers()), out, "only the header was added");
    }

    @Test
    void theKeyIsTheDocumentedDerivation() throws Exception {
        byte[] domain = "outcalls/methods/idempotency-key/v1".getBytes(UTF_8);
        byte[] subnet = SUBNET.getBytes(UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + domain.length + 4 + subnet.length + 8)
                .putInt(domain.length).put(domain).putInt(subnet.length).put(subnet).putLong(17);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()), 0, 16);
        assertEquals(expected, key(methods.prepare(post(), SUBNET, 17, true)));
        // pinned (computed with Python hashlib), so an accidental change of the derivation shows up even if the test above were changed with it
        assertEquals("6eda872c57720512cdf6ef9c6cf8c37f", Methods.idempotencyKey("6f1c0a8e2b", 17));
    }

    @Test
    void sameOnEveryReplicaDifferentPerRequestAndPerSubnet() {
        String k = key(methods.prepare(post(), SUBNET, 17, true));
        assertEquals(k, key(new Methods().prepare(post(), SUBNET, 17, true)), "another replica, same request");
        Set<String> keys = new HashSet<>();
        for (long id = 0; id < 1000; id++) {
            keys.add(key(methods.prepare(post(), SUBNET, id, true)));
        }
        assertEquals(1000, keys.size(), "a different key for every callback id");
        assertNotEquals(k, key(methods.prepare(post(), "6f1c0a8e2c", 17, true)), "and for every subnet");
        assertNotEquals(Methods.idempotencyKey("ab", 1), Methods.idempotencyKey("a", 1), "lengths are framed");
    }

    @Test
    void aCallerSetKeyIsKeptAsItIsWhateverItsCase() {
        for (String name : new String[] {"Idempotency-Key", "idempotency-key", "IDEMPOTENCY-KEY"}) {
            OutcallRequest in = post(new HttpHeader(name, "caller-key-1"));
            assertSame(in, methods.prepare(in, SUBNET, 17, true), name);
        }
    }

    @Test
    void otherRequestsAreUnchanged() {
        OutcallRequest single = post();
        assertSame(single, methods.prepare(single, SUBNET, 17, false), "a POST one replica sends");
        for (HttpMethod m : HttpMethod.values()) {
            if (m == HttpMethod.POST) {
                continue;
            }
            OutcallRequest r = OutcallRequest.builder("https://api.example.com/x").method(m).build();
            assertSame(r, methods.prepare(r, SUBNET, 17, true), m.name());
            assertSame(r, methods.prepare(r, SUBNET, 17, false), m.name());
        }
    }

    @Test
    void aSubnetIdIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> methods.prepare(post(), "", 1, true));
        assertThrows(IllegalArgumentException.class, () -> methods.prepare(post(), null, 1, true));
    }
}
