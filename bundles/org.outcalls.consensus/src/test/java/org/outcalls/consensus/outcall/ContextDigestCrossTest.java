package org.outcalls.consensus.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Policies;
import org.outcalls.api.TransformSpec;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.Hash;

/**
 * The context digest replicas sign ({@link OutcallContextInfo#digest()}, defined in the API's
 * {@code SignedContext}) is exactly the documented layout, written here independently with this
 * bundle's canonical writer: version 2 of the context domain, the request as
 * {@link OutcallCodec#writeRequest} writes it but with the body's SHA-256 in place of the body.
 */
class ContextDigestCrossTest {
    private static final List<String> POLICIES = List.of(Policies.TWO_THIRDS, Policies.SINGLE_REPLICA, Policies.MEDIAN);

    @Test
    void theDigestIsTheDocumentedLayoutForManyRequests() {
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            OutcallContextInfo c = randomContext(random);
            assertEquals(reference(c), c.digest(), c.toString());
        }
    }

    @Test
    void theBodyCountsOnlyByItsHash() {
        OutcallRequest request = OutcallRequest.builder("https://a.example/").method(HttpMethod.POST)
                .body(new byte[] {1, 2, 3}).build();
        OutcallContextInfo c = context(request, "two-thirds");
        OutcallContextInfo other = context(request.toBuilder().body(new byte[] {1, 2, 4}).build(), "two-thirds");
        assertNotEquals(c.digest(), other.digest());
        assertEquals(Hash.sha256(new byte[] {1, 2, 3}).hex(), c.signed().request().bodySha256());
    }

    /** The v2 layout, written by hand. */
    private static Hash reference(OutcallContextInfo c) {
        OutcallRequest r = c.request();
        CanonicalWriter w = new CanonicalWriter();
        w.hash(c.subnetId()).i64(c.callbackId()).string(c.canisterId());
        w.string(r.url()).string(r.method().name());
        w.list(r.headers(), (hw, h) -> hw.string(h.name()).string(h.value()));
        w.hash(Hash.sha256(r.body()));
        w.bool(r.maxResponseBytes().isPresent()).i64(r.maxResponseBytes().orElse(0));
        w.bool(r.transform().isPresent()).string(r.transform().map(TransformSpec::name).orElse(""))
                .bytes(r.transform().map(TransformSpec::context).orElse(new byte[0]));
        w.string(r.policy());
        w.i64(c.attachedCycles()).i64(c.fee()).i64(c.requestTime()).string(c.policyName()).string(c.policyVersion())
                .string(c.transformVersion()).i64(c.registryVersion()).hash(c.seed());
        return Hash.of(OutcallDomains.CONTEXT, w.toByteArray());
    }

    private static OutcallContextInfo context(OutcallRequest request, String policy) {
        return new OutcallContextInfo(Hash.sha256(new byte[] {1}), 7, "proxy", request, 100, 90, 1_000, policy, "0.1.0",
                request.transform().isPresent() ? "0.1.0" : "", 3, Hash.sha256(new byte[] {2}));
    }

    private static OutcallContextInfo randomContext(Random random) {
        String policy = POLICIES.get(random.nextInt(POLICIES.size()));
        OutcallRequest.Builder b = OutcallRequest.builder("https://h" + random.nextInt(1000) + ".example/p?q=" + random.nextLong()
                + (random.nextBoolean() ? "/é" : "")).method(HttpMethod.values()[random.nextInt(3)]).policy(policy);
        for (int h = random.nextInt(5); h > 0; h--) {
            b.header("x-h" + random.nextInt(10), "v" + random.nextLong());
        }
        byte[] body = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(3000)];
        random.nextBytes(body);
        b.body(body);
        if (random.nextBoolean()) {
            b.maxResponseBytes(random.nextInt(2_000_001));
        }
        if (random.nextBoolean()) {
            byte[] context = new byte[random.nextInt(40)];
            random.nextBytes(context);
            b.transform(TransformSpec.of(random.nextBoolean() ? "json" : "number", context));
        }
        byte[] seed = new byte[8];
        random.nextBytes(seed);
        return new OutcallContextInfo(Hash.sha256(new byte[] {(byte) random.nextInt(3)}), random.nextInt(1 << 20),
                random.nextBoolean() ? "proxy" : "price-feed", b.build(), random.nextInt(1 << 30), random.nextInt(1 << 20),
                Math.abs(random.nextLong() % 4_000_000_000_000L), policy, "0." + random.nextInt(3) + ".0",
                b.build().transform().isPresent() ? "1." + random.nextInt(3) + ".0" : "", random.nextInt(9), Hash.sha256(seed));
    }
}
