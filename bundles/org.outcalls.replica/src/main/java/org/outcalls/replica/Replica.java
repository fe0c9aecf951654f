package org.outcalls.replica;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.osgi.annotation.versioning.ProviderType;
import org.outcalls.api.canister.CanisterException;

/**
 * One replica's replicated state machine: takes finalized blocks in height order, executes them
 * deterministically, and exposes the state hash, height, registry, the request contexts the last
 * block created, and queries against the latest executed state.
 *
 * <p>Thread-safe: {@link #execute} runs alone; reads and queries run in parallel between blocks.
 * If execution fails part way (anything but a {@link MissingCanisterException}, which is raised
 * before any change), the replica halts: its state can no longer be trusted to match the others'.
 * What a canister does wrong is not such a failure (its call traps and the block goes on); what
 * is, is this replica's own fault, such as running out of memory. {@link #halt()} says why.
 */
@ProviderType
public interface Replica {
    /** How many recent heights {@link #stateHash(long)} remembers. */
    int RECENT_HASHES = 1024;
    /** How many ingress statuses {@link #ingressStatus} remembers (local, not replicated). */
    int RECENT_INGRESS_STATUSES = 100_000;

    /**
     * Executes the block at {@link #height()} + 1.
     *
     * @throws MissingCanisterException if a canister the registry installs is not available here; nothing changed
     * @throws IllegalArgumentException if the block is not at the next height; nothing changed
     * @throws IllegalStateException    if the replica has halted
     */
    ExecutionResult execute(ExecutableBlock block);

    /** The height of the last executed block (0 before any). */
    long height();

    /** The time of the last executed block (the genesis time before any). */
    long blockTime();

    String subnetId();

    /** The hash of the state at {@link #height()}. */
    byte[] stateHash();

    /** The state hash at a recent height, if remembered. */
    Optional<byte[]> stateHash(long height);

    SubnetRegistry registry();

    /** Request contexts opened by the last executed block and still open after it. */
    List<RequestContext> lastCreatedContexts();

    /** The last block's result, if any block was executed. */
    Optional<ExecutionResult> lastResult();

    /**
     * What the latest blocks did with an ingress message (hex id), if this replica executed it
     * recently: a later duplicate does not replace the first outcome.
     */
    Optional<IngressStatus> ingressStatus(String messageIdHex);

    /** A membership change agreed in a block and not in force yet. */
    Optional<PendingMembership> pendingMembership();

    /** The last membership change that took effect. */
    Optional<AppliedMembership> appliedMembership();

    /** Who the members are at each height and registry version, as the executed state says. */
    MembershipSchedule membershipSchedule();

    /** Every open request context by callback id (a copy). */
    SortedMap<Long, RequestContext> openContexts();

    /** How many request contexts are open (without copying them, unlike {@link #openContexts}). */
    int openContextCount();

    Optional<RequestContext> openContext(long callbackId);

    /** Whether an ingress message id (hex) was executed and has not yet expired. */
    boolean isExecuted(String messageIdHex);

    Optional<Long> cyclesBalance(String canisterId);

    /**
     * Runs a canister's query against the latest executed state.
     *
     * @throws CanisterException if the canister is unknown or refuses or fails
     */
    byte[] query(String canisterId, String method, byte[] argument) throws CanisterException;

    /** The whole state as canonical bytes; {@link #fromCheckpoint} restores it with the same hash. */
    byte[] checkpoint();

    /** Why the replica halted, if it did. */
    Optional<String> halted();

    /** Where and why the replica halted, if it did. */
    Optional<Halt> halt();

    /**
     * Halts the replica for a fault found outside {@link #execute} (a finalized block that does not
     * decode, a stored height that is missing): it executes nothing more. The first halt's reason stays.
     */
    void haltAt(long height, String reason);
}
