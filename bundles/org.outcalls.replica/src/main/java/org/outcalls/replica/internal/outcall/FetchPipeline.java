package org.outcalls.replica.internal.outcall;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.TransformSpec;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.transform.Transform;
import org.outcalls.consensus.outcall.ContentHash;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.byzantine.ContentForger;
import org.outcalls.replica.local.PluginSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps "fetch" and "sign" of the way of a share: for a request this replica's committee seat
 * obliges it to answer, prepares it (the {@code methods} plugin for POST and the others), fetches
 * it through the adapter, applies the transform at exactly the version the request pins, and hands
 * the content with its share metadata to the signer. A fetch or transform failure is a reject
 * content, signed like any other. Runs off the protocol thread once the fetch is under way.
 */
final class FetchPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(FetchPipeline.class);

    private final int self;
    private final String subnetIdHex;
    private final HttpsAdapter adapter;
    private final TransformRunner transforms;
    private final PluginSource plugins;
    private final SignerQueue signer;
    /** Null for an honest replica; a faulty one signs what its adversary says. */
    private final Supplier<ContentForger> forger;
    /** A methods plugin the registry enables is missing here: the request is not sent (by this replica). */
    private final Consumer<String> missingMethods;
    /** Fetches started and not yet turned into content to sign: while some run, the signer waits for their shares. */
    private final AtomicInteger inFlight = new AtomicInteger();

    FetchPipeline(int self, String subnetIdHex, HttpsAdapter adapter, TransformRunner transforms, PluginSource plugins,
                  SignerQueue signer, Supplier<ContentForger> forger, Consumer<String> missingMethods) {
        this.self = self;
        this.subnetIdHex = subnetIdHex;
        this.adapter = adapter;
        this.transforms = transforms;
        this.plugins = plugins;
        this.signer = signer;
        this.forger = forger;
        this.missingMethods = missingMethods;
    }

    /**
     * Fetches, transforms and signs for {@code context} (its digest is the manager's, computed once
     * per context); {@code caller}: the principal whose message made the request; {@code replicated}:
     * more than one replica sends it.
     */
    void fetch(ShareAdmission.OpenRequest context, String caller, boolean replicated) {
        OutcallContextInfo info = context.info();
        String payer = payer(info.canisterId(), caller);
        Hash digest = context.digest();
        OutcallRequest request = info.request();
        if (request.method().needsMethodsPlugin()) {
            Optional<MethodSupport> methods = plugins.methods();
            if (methods.isEmpty()) {
                // The registry allowed the method, so the plugin is enabled; lacking it here is local:
                // neither fetch nor sign (a share would decide on local presence). Replicas that have it decide.
                missingMethods.accept(request.method().name());
                return;
            }
            try {
                request = methods.get().prepare(request, subnetIdHex, info.callbackId(), replicated);
            } catch (RuntimeException e) {
                sign(info, digest, "", OutcallCodec.encode(Reject.of(RejectCode.SYS_FATAL, RejectKind.METHOD_NOT_ALLOWED,
                        "the methods plugin failed on replica " + self + ": " + e)), true, inFlight.get() > 0);
                return;
            }
        }
        Optional<TransformSpec> spec = info.request().transform();
        // The version the request's context pins, whatever is activated or installed since.
        Optional<Transform> transform = spec.flatMap(s -> plugins.transform(info.transformName(), info.transformVersion()));
        String transformId = transform.isPresent() ? info.transform() : "";
        inFlight.incrementAndGet();
        adapter.fetch(request)
                .thenCompose(result -> transformed(info, payer, spec, transform, result))
                .whenComplete((content, error) -> {
                    boolean moreComing = inFlight.decrementAndGet() > 0;
                    if (error != null) {
                        LOG.error("outcall {} pipeline failed on replica {}", info.callbackId(), self, error);
                        content = OutcallCodec.encode(Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.PROTOCOL_ERROR,
                                "replica " + self + " could not complete the fetch: " + error));
                    }
                    sign(info, digest, transformId, content, isReject(content), moreComing);
                });
    }

    private static boolean isReject(byte[] content) {
        try {
            return OutcallCodec.decode(content).isReject();
        } catch (DecodeException e) {
            throw new IllegalStateException("own content does not decode", e);
        }
    }

    /**
     * Whose transforms share one turn of the fair queue: the canister and the caller of the message
     * that made the request. Every gateway caller reaches the subnet through the proxy canister, so
     * by canister alone one caller's slow transforms would queue every other caller behind them.
     */
    static String payer(String canisterId, String caller) {
        return canisterId + " for " + caller;
    }

    private CompletionStage<byte[]> transformed(OutcallContextInfo info, String payer, Optional<TransformSpec> spec,
                                                Optional<Transform> transform, FetchResult result) {
        if (result.reject().isPresent()) {
            return CompletableFuture.completedFuture(OutcallCodec.encode(result.reject().get()));
        }
        if (spec.isEmpty()) {
            return CompletableFuture.completedFuture(OutcallCodec.encode(result.response().orElseThrow()));
        }
        if (transform.isEmpty()) {
            // The same bytes on every replica that lacks it, so such replicas can agree on this reject.
            return CompletableFuture.completedFuture(OutcallCodec.encode(Reject.of(RejectCode.CANISTER_ERROR,
                    RejectKind.TRANSFORM_ERROR, "transform '" + info.transform() + "' not found: it is not installed")));
        }
        return transforms.run(payer, info.transformName(), transform.get(), result.response().orElseThrow(),
                        spec.get().context(), info.request().effectiveMaxResponseBytes())
                .thenApply(o -> o.reject() != null ? OutcallCodec.encode(o.reject()) : OutcallCodec.encode(o.response()));
    }

    private void sign(OutcallContextInfo info, Hash digest, String transformId, byte[] content, boolean reject,
                      boolean moreComing) {
        ContentForger f = forger == null ? null : forger.get();
        if (f != null) {
            ContentForger.Signed forged = f.forge(info, new ContentForger.Signed(content, reject, transformId));
            if (forged == null) {
                return;
            }
            content = forged.content();
            reject = forged.reject();
            transformId = forged.transform();
        }
        ShareMetadata m = new ShareMetadata(info.subnetId(), info.callbackId(), digest,
                ContentHash.of(transformId, content), content.length, reject, transformId, info.policy(),
                info.registryVersion());
        signer.submit(new SignerQueue.Pending(m, content), moreComing);
    }
}
