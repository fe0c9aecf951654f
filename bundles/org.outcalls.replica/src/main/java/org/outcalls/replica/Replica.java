package org.outcalls.replica;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.internal.exec.BlockRun;
import org.outcalls.replica.internal.exec.QueryView;
import org.outcalls.replica.internal.state.CanisterState;
import org.outcalls.replica.internal.state.ReplicatedState;
import org.outcalls.replica.internal.state.StateCodec;

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
public final class Replica {
    /** How many recent heights {@link #stateHash(long)} remembers. */
    public static final int RECENT_HASHES = 1024;
    /** How many ingress statuses {@link #ingressStatus} remembers (local, not replicated). */
    public static final int RECENT_INGRESS_STATUSES = 100_000;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final CanisterResolver resolver;
    private final ReplicatedState state;
    private final TreeMap<Long, byte[]> recentHashes = new TreeMap<>();
    private final LinkedHashMap<String, IngressStatus> ingressStatuses = new LinkedHashMap<>();
    private List<RequestContext> lastCreated = List.of();
    private ExecutionResult lastResult;
    private Halt halt;

    private Replica(ReplicatedState state, CanisterResolver resolver) {
        this.state = state;
        this.resolver = resolver;
        recentHashes.put(state.height(), state.hash());
    }

    /** A replica at height 0 of the subnet {@code genesis} describes. */
    public static Replica fromGenesis(Genesis genesis, CanisterResolver resolver) {
        return new Replica(ReplicatedState.genesis(genesis), resolver);
    }

    /**
     * A replica restored from {@link #checkpoint()} bytes.
     *
     * @throws DecodeException if the bytes are not a checkpoint
     */
    public static Replica fromCheckpoint(byte[] checkpoint, CanisterResolver resolver) throws DecodeException {
        return new Replica(StateCodec.decode(checkpoint), resolver);
    }

    /**
     * Executes the block at {@link #height()} + 1.
     *
     * @throws MissingCanisterException if a canister the registry installs is not available here; nothing changed
     * @throws IllegalArgumentException if the block is not at the next height; nothing changed
     * @throws IllegalStateException    if the replica has halted
     */
    public ExecutionResult execute(ExecutableBlock block) {
        lock.writeLock().lock();
        try {
            if (halt != null) {
                throw new IllegalStateException("replica halted: " + halt.reason());
            }
            if (block.height() != state.height() + 1) {
                throw new IllegalArgumentException("block height " + block.height() + " does not follow height "
                        + state.height());
            }
            ExecutionResult result;
            try {
                result = BlockRun.execute(state, block, resolver);
            } catch (MissingCanisterException e) {
                throw e;
            } catch (RuntimeException | Error e) {
                halt = new Halt(block.height(), "execution of height " + block.height() + " failed: " + e);
                throw e;
            }
            lastResult = result;
            lastCreated = result.createdContexts();
            remember(result.ingress());
            recentHashes.put(result.height(), result.stateHash());
            while (recentHashes.size() > RECENT_HASHES) {
                recentHashes.pollFirstEntry();
            }
            return result;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The height of the last executed block (0 before any). */
    public long height() {
        return read(state::height);
    }

    /** The time of the last executed block (the genesis time before any). */
    public long blockTime() {
        return read(state::blockTime);
    }

    public String subnetId() {
        return state.subnetId();
    }

    /** The hash of the state at {@link #height()}. */
    public byte[] stateHash() {
        return read(() -> recentHashes.lastEntry().getValue().clone());
    }

    /** The state hash at a recent height, if remembered. */
    public Optional<byte[]> stateHash(long height) {
        return read(() -> Optional.ofNullable(recentHashes.get(height)).map(byte[]::clone));
    }

    public SubnetRegistry registry() {
        return read(state::registry);
    }

    /** Request contexts opened by the last executed block and still open after it. */
    public List<RequestContext> lastCreatedContexts() {
        return read(() -> lastCreated);
    }

    /** The last block's result, if any block was executed. */
    public Optional<ExecutionResult> lastResult() {
        return read(() -> Optional.ofNullable(lastResult));
    }

    /**
     * What the latest blocks did with an ingress message (hex id), if this replica executed it
     * recently: a later duplicate does not replace the first outcome.
     */
    public Optional<IngressStatus> ingressStatus(String messageIdHex) {
        return read(() -> Optional.ofNullable(ingressStatuses.get(messageIdHex)));
    }

    private void remember(List<IngressStatus> statuses) {
        for (IngressStatus s : statuses) {
            IngressStatus old = ingressStatuses.get(s.messageId());
            boolean executed = s.state() == IngressStatus.State.COMPLETED || s.state() == IngressStatus.State.FAILED;
            if (old == null || executed) {
                ingressStatuses.put(s.messageId(), s);
            }
        }
        Iterator<String> oldest = ingressStatuses.keySet().iterator();
        while (ingressStatuses.size() > RECENT_INGRESS_STATUSES) {
            oldest.next();
            oldest.remove();
        }
    }

    /** A membership change agreed in a block and not in force yet. */
    public Optional<PendingMembership> pendingMembership() {
        return read(() -> Optional.ofNullable(state.pendingMembership()));
    }

    /** The last membership change that took effect. */
    public Optional<AppliedMembership> appliedMembership() {
        return read(() -> Optional.ofNullable(state.appliedMembership()));
    }

    /** Who the members are at each height and registry version, as the executed state says. */
    public MembershipSchedule membershipSchedule() {
        return read(state::membershipSchedule);
    }

    /** Every open request context by callback id (a copy). */
    public SortedMap<Long, RequestContext> openContexts() {
        return read(() -> Collections.unmodifiableSortedMap(new TreeMap<>(state.contexts())));
    }

    /** How many request contexts are open (without copying them, unlike {@link #openContexts}). */
    public int openContextCount() {
        return read(() -> state.contexts().size());
    }

    public Optional<RequestContext> openContext(long callbackId) {
        return read(() -> Optional.ofNullable(state.context(callbackId)));
    }

    /** Whether an ingress message id (hex) was executed and has not yet expired. */
    public boolean isExecuted(String messageIdHex) {
        return read(() -> state.isExecuted(messageIdHex));
    }

    public Optional<Long> cyclesBalance(String canisterId) {
        return read(() -> Optional.ofNullable(state.canister(canisterId)).map(CanisterState::cycles));
    }

    /**
     * Runs a canister's query against the latest executed state.
     *
     * @throws CanisterException if the canister is unknown or refuses or fails
     */
    public byte[] query(String canisterId, String method, byte[] argument) throws CanisterException {
        lock.readLock().lock();
        try {
            CanisterState cs = state.canister(canisterId);
            if (cs == null) {
                throw new CanisterException("canister '" + canisterId + "' is not installed on this subnet");
            }
            Canister canister = resolver.canister(canisterId)
                    .orElseThrow(() -> new CanisterException("canister '" + canisterId
                            + "' is not available on this replica"));
            try {
                return canister.query(new QueryView(state, cs), method, argument);
            } catch (RuntimeException e) {
                throw new CanisterException("canister " + canisterId + " failed: " + e);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The whole state as canonical bytes; {@link #fromCheckpoint} restores it with the same hash. */
    public byte[] checkpoint() {
        return read(() -> StateCodec.encode(state));
    }

    /** Why the replica halted, if it did. */
    public Optional<String> halted() {
        return halt().map(Halt::reason);
    }

    /** Where and why the replica halted, if it did. */
    public Optional<Halt> halt() {
        return read(() -> Optional.ofNullable(halt));
    }

    /**
     * Halts the replica for a fault found outside {@link #execute} (a finalized block that does not
     * decode, a stored height that is missing): it executes nothing more. The first halt's reason stays.
     */
    public void haltAt(long height, String reason) {
        lock.writeLock().lock();
        try {
            if (halt == null) {
                halt = new Halt(height, reason);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private <T> T read(java.util.function.Supplier<T> s) {
        lock.readLock().lock();
        try {
            return s.get();
        } finally {
            lock.readLock().unlock();
        }
    }
}
