package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.TransformSpec;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.transform.Transform;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.byzantine.ContentForger;
import org.outcalls.replica.local.PluginSource;
import org.outcalls.transform.regex.internal.RegexTransform;
import org.outcalls.transport.ProtocolThread;

/** Fetch, transform at the pinned version, sign: what the pipeline hands the signer. */
class FetchPipelineTest {
    private final ShareFixture f = new ShareFixture();
    private final ProtocolThread thread = new ProtocolThread("pipeline-test");
    private final TransformRunner transforms = new TransformRunner(TransformRunner.Budget.DEFAULT, 1);
    private final List<SignerQueue.Signed> signed = new CopyOnWriteArrayList<>();
    private final SignerQueue signer = new SignerQueue(f.keys.get(0), 0, Runnable::run, thread, signed::addAll);
    private final List<String> missingMethods = new CopyOnWriteArrayList<>();
    /** The origin's answer to every request. */
    private final HttpsAdapter origin = request -> CompletableFuture.completedFuture(FetchResult.of(
            HttpResponse.of(200, List.of(), "fetched".getBytes(StandardCharsets.UTF_8))));

    /** Appends its version, so the content shows which version made it. */
    record Tag(String version) implements Transform {
        @Override
        public HttpResponse apply(HttpResponse response, byte[] context) {
            return response.withBody((new String(response.body(), StandardCharsets.UTF_8) + "+" + version).getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterEach
    void stop() {
        transforms.close();
        thread.close();
    }

    private static ShareAdmission.OpenRequest open(OutcallContextInfo info) {
        return ShareAdmission.OpenRequest.of(info);
    }

    private static OutcallContextInfo pinned(String transformVersion) {
        return new OutcallContextInfo(ShareFixture.SUBNET, 1, "proxy", OutcallRequest.builder("https://a.example/")
                .transform(TransformSpec.of("tag", "")).build(), 100, 90, 1_000, "majority", "1.0.0", transformVersion, 1,
                Hash.sha256(new byte[] {1}));
    }

    private static PluginSource installed(Tag... versions) {
        return transformsOnly((name, version) -> {
            for (Tag t : versions) {
                if ("tag".equals(name) && t.version().equals(version)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        });
    }

    /** Plugins with the transforms {@code lookup} finds, and no policy or methods plugin. */
    private static PluginSource transformsOnly(BiFunction<String, String, Optional<Transform>> lookup) {
        return new PluginSource() {
            @Override
            public Optional<Transform> transform(String name, String version) {
                return lookup.apply(name, version);
            }

            @Override
            public Optional<AgreementPolicy> policy(String name, String version) {
                return Optional.empty();
            }

            @Override
            public Optional<MethodSupport> methods() {
                return Optional.empty();
            }
        };
    }

    private String signedBody() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (signed.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        OutcallCodec.Content c = OutcallCodec.decode(signed.get(0).content());
        return c.isReject() ? "reject: " + c.reject().message() : new String(c.response().body(), StandardCharsets.UTF_8);
    }

    @Test
    void theTransformRunsAtExactlyTheVersionTheRequestPinsAndTheShareNamesIt() throws Exception {
        new FetchPipeline(0, "subnet", origin, transforms, installed(new Tag("1.0.0"), new Tag("2.0.0")), signer, null,
                missingMethods::add).fetch(open(pinned("1.0.0")), "caller", true);
        assertEquals("fetched+1.0.0", signedBody());
        assertEquals("tag@1.0.0", signed.get(0).share().metadata().transform());
        assertEquals(pinned("1.0.0").digest(), signed.get(0).share().metadata().contextDigest(),
                "the share binds the digest of its request context");
    }

    @Test
    void aPinnedVersionNotInstalledHereIsTheSameRejectOnEveryReplicaThatLacksIt() throws Exception {
        new FetchPipeline(0, "subnet", origin, transforms, installed(new Tag("2.0.0")), signer, null, missingMethods::add)
                .fetch(open(pinned("1.0.0")), "caller", true);
        assertEquals("reject: transform 'tag@1.0.0' not found: it is not installed", signedBody());
        assertEquals("", signed.get(0).share().metadata().transform(), "no transform ran");
    }

    @Test
    void aFaultyReplicaSignsWhatItsAdversarySays() throws Exception {
        ContentForger lie = (ctx, honest) -> new ContentForger.Signed(OutcallCodec.encode(HttpResponse.of(200, List.of(),
                "a lie".getBytes(StandardCharsets.UTF_8))), false, honest.transform());
        new FetchPipeline(0, "subnet", origin, transforms, installed(new Tag("1.0.0")), signer, () -> lie,
                missingMethods::add).fetch(open(pinned("1.0.0")), "caller", true);
        assertEquals("a lie", signedBody());
    }

    /**
     * Every gateway caller's outcalls come from the one proxy canister: one caller's backtracking
     * regexes must not hold up another's transform behind all of them.
     */
    @Test
    void oneCallersSlowTransformsDoNotHoldUpAnotherCallerOfTheSameCanister() throws Exception {
        int flood = 12;
        byte[] backtracking = "(a+)+\\1b".getBytes(StandardCharsets.UTF_8); // 2^40 ways to split 40 a's
        HttpsAdapter origin = request -> CompletableFuture.completedFuture(FetchResult.of(HttpResponse.of(200, List.of(),
                (request.url().contains("hostile") ? "a".repeat(40) : "price=42").getBytes(StandardCharsets.UTF_8))));
        PluginSource regex = transformsOnly((name, version) -> "regex".equals(name) ? Optional.of(new RegexTransform())
                : Optional.empty());
        TransformRunner.Budget tight = new TransformRunner.Budget(Duration.ofMillis(200), Duration.ofMillis(1_000),
                64L * 1024 * 1024);
        try (TransformRunner oneWorker = new TransformRunner(tight, 1)) {
            FetchPipeline pipeline = new FetchPipeline(0, "subnet", origin, oneWorker, regex, signer, null, missingMethods::add);
            for (int i = 0; i < flood; i++) {
                pipeline.fetch(open(proxied(10 + i, "https://hostile.example/", backtracking)), "hostile-caller", false);
            }
            pipeline.fetch(open(proxied(99, "https://prices.example/", "price=(\\d+)".getBytes(StandardCharsets.UTF_8))),
                    "honest-caller", false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (signed.stream().noneMatch(s -> s.share().metadata().callbackId() == 99) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            List<Long> order = signed.stream().map(s -> s.share().metadata().callbackId()).toList();
            int honest = order.indexOf(99L);
            assertTrue(honest >= 0, "the honest caller's share was not signed: " + order);
            OutcallCodec.Content c = OutcallCodec.decode(signed.get(honest).content());
            assertEquals("42", new String(c.response().body(), StandardCharsets.UTF_8));
            // Round-robin by caller: it waits for the hostile transform running (and at most one more
            // already taken); in one queue for the canister it waited for nearly all twelve, each cut at its limit.
            assertTrue(honest <= 2, honest + " of " + flood + " hostile transforms were signed before the honest one");
        }
    }

    private static OutcallContextInfo proxied(long callbackId, String url, byte[] transformContext) {
        return new OutcallContextInfo(ShareFixture.SUBNET, callbackId, "proxy", OutcallRequest.builder(url)
                .transform(TransformSpec.of("regex", transformContext)).build(), 100, 90, 1_000, "single-replica", "1.0.0",
                "1.0.0", 1, Hash.sha256(new byte[] {(byte) callbackId}));
    }

    @Test
    void aPostWithoutTheMethodsPluginHereIsNeitherSentNorSigned() throws Exception {
        OutcallContextInfo post = new OutcallContextInfo(ShareFixture.SUBNET, 2, "proxy",
                OutcallRequest.builder("https://a.example/").method(org.outcalls.api.HttpMethod.POST).build(), 100, 90, 1_000,
                "majority", "1.0.0", "", 1, Hash.sha256(new byte[] {2}));
        new FetchPipeline(0, "subnet", request -> {
            throw new AssertionError("must not fetch");
        }, transforms, installed(), signer, null, missingMethods::add).fetch(open(post), "caller", true);
        Thread.sleep(50);
        assertTrue(signed.isEmpty());
        assertEquals(List.of("POST"), missingMethods);
    }
}
