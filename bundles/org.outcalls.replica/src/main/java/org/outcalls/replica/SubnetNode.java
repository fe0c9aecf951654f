package org.outcalls.replica;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The replicas running in this process, as the gateway and the shell use them: submit an ingress
 * message, query a canister against the latest executed state, read the subnet's status, learn
 * when a new height is executed. Registered by the embedded subnet ({@code outcalls run}) and by a
 * single replica of a multi-host subnet ({@code outcalls replica}).
 */
@ProviderType
public interface SubnetNode {

    /**
     * Signs and submits an update call; completes with the message id once a replica accepted it.
     * Fails with {@link SubnetBusyException} when the front replica refuses new work for now.
     */
    CompletionStage<String> submit(String canisterId, String method, byte[] argument);

    /**
     * Like {@link #submit(String, String, byte[])}, counted for the per-caller share of admission
     * against {@code caller} (the gateway passes the remote address of a call it signs on the
     * caller's behalf) rather than against the signing key every such call shares.
     */
    default CompletionStage<String> submit(String canisterId, String method, byte[] argument, String caller) {
        return submit(canisterId, method, argument);
    }

    /** Runs a query on a local replica's latest executed state; fails with the canister's message. */
    CompletionStage<byte[]> query(String canisterId, String method, byte[] argument);

    /** Where an ingress message is, for REST answers before the canister has a record of it. */
    IngressState ingressState(String messageId);

    /** The subnet as {@code GET /api/v1/subnet} shows it: replicas, heights, hashes, registry. */
    SubnetStatus status();

    /**
     * Whether this node is up to date enough to serve ({@code GET /readyz}). By default judged from
     * {@link #status()}: every honest replica of this process executes (not halted, not waiting for
     * a canister), and none trails the most advanced one, in finalization or in execution, by more
     * than {@link Readiness#MAX_LAG_HEIGHTS}. Cheap: in-memory state only.
     */
    default Readiness readiness() {
        return StatusReadiness.of(status());
    }

    /** Calls the listener after each executed height, on any thread, until the handle is closed. */
    AutoCloseable onHeight(Runnable listener);

    /**
     * Local observations of this process's replicas (never replicated) for the dashboard and
     * {@code /metrics}: replicas, peers, pools, in-flight outcalls with their shares, recent outcomes,
     * what differed in a no-consensus, latencies.
     */
    default Diagnostics diagnostics() {
        return Diagnostics.none();
    }

    /**
     * Signs {@code enable_plugin name@version} with the subnet's admin key held by this process and
     * submits it; completes with the message id. The registry changes at the height of the block that
     * executes it, on every replica. Without a version, the one version installed here is taken.
     * Fails if this process holds no admin key.
     */
    default CompletionStage<String> enablePlugin(String name, String version) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this node holds no admin key: sign the admin message elsewhere"));
    }

    /** Like {@link #enablePlugin}, for {@code disable_plugin name[@version]}. */
    default CompletionStage<String> disablePlugin(String name, String version) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this node holds no admin key: sign the admin message elsewhere"));
    }

    /**
     * Relays an ingress message signed elsewhere, as its canonical encoding
     * ({@code IngressMessage.encode()}): checked and admitted like {@link #submit}. Completes with the
     * message id once a replica accepted it, or fails with why it was refused.
     */
    default CompletionStage<String> submitSigned(byte[] message) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this node does not relay signed ingress messages"));
    }

    /**
     * The newest catch-up package of this node's replica in its canonical file format
     * ({@code org.outcalls.replica.cup.CatchUpPackage}), if it has one; a subnet in one JVM has none.
     */
    default java.util.Optional<byte[]> catchUpPackage() {
        return java.util.Optional.empty();
    }

    /**
     * Status of one ingress message in this node, with the failure message if it failed and the
     * height of the block that executed or dropped it ({@code -1} while it has none).
     */
    record IngressState(Status status, String message, long height) {
        public enum Status { UNKNOWN, RECEIVED, EXECUTED, FAILED, EXPIRED }

        public IngressState(Status status, String message) {
            this(status, message, -1);
        }

        public static IngressState of(Status status) {
            return new IngressState(status, "");
        }
    }
}
