package org.outcalls.replica.internal.exec;

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
import org.outcalls.replica.AppliedMembership;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.ExecutableBlock;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.Halt;
import org.outcalls.replica.IngressStatus;
import org.outcalls.replica.MembershipSchedule;
import org.outcalls.replica.MissingCanisterException;
import org.outcalls.replica.PendingMembership;
import org.outcalls.replica.Replica;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.internal.state.CanisterState;
import org.outcalls.replica.internal.state.ReplicatedState;
import org.outcalls.replica.internal.state.StateCodec;

/** The {@link Replica}: replicated state, executed block by block ({@link BlockRun}) and queried ({@link QueryView}). */
public final class ReplicaStateMachine implements Replica {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final CanisterResolver resolver;
    private final ReplicatedState state;
    private final TreeMap<Long, byte[]> recentHashes = new TreeMap<>();
    private final LinkedHashMap<String, IngressStatus> ingressStatuses = new LinkedHashMap<>();
    private List<RequestContext> lastCreated = List.of();
    private ExecutionResult lastResult;
    private Halt halt;

    private ReplicaStateMachine(ReplicatedState state, CanisterResolver resolver) {
        this.state = state;
        this.resolver = resolver;
        recentHashes.put(state.height(), state.hash());
    }

    /** A replica at height 0 of the subnet {@code genesis} describes. */
    public static ReplicaStateMachine fromGenesis(Genesis genesis, CanisterResolver resolver) {
        return new ReplicaStateMachine(ReplicatedState.genesis(genesis), resolver);
    }

    /**
     * A replica restored from {@link #checkpoint()} bytes.
     *
     * @throws DecodeException if the bytes are not a checkpoint
     */
    public static ReplicaStateMachine fromCheckpoint(byte[] checkpoint, CanisterResolver resolver) throws DecodeException {
        return new ReplicaStateMachine(StateCodec.decode(checkpoint), resolver);
    }

    @Override
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

    @Override
    public long height() {
        return read(state::height);
    }

    @Override
    public long blockTime() {
        return read(state::blockTime);
    }

    @Override
    public String subnetId() {
        return state.subnetId();
    }

    @Override
    public byte[] stateHash() {
        return read(() -> recentHashes.lastEntry().getValue().clone());
    }

    @Override
    public Optional<byte[]> stateHash(long height) {
        return read(() -> Optional.ofNullable(recentHashes.get(height)).map(byte[]::clone));
    }

    @Override
    public SubnetRegistry registry() {
        return read(state::registry);
    }

    @Override
    public List<RequestContext> lastCreatedContexts() {
        return read(() -> lastCreated);
    }

    @Override
    public Optional<ExecutionResult> lastResult() {
        return read(() -> Optional.ofNullable(lastResult));
    }

    @Override
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

    @Override
    public Optional<PendingMembership> pendingMembership() {
        return read(() -> Optional.ofNullable(state.pendingMembership()));
    }

    @Override
    public Optional<AppliedMembership> appliedMembership() {
        return read(() -> Optional.ofNullable(state.appliedMembership()));
    }

    @Override
    public MembershipSchedule membershipSchedule() {
        return read(state::membershipSchedule);
    }

    @Override
    public SortedMap<Long, RequestContext> openContexts() {
        return read(() -> Collections.unmodifiableSortedMap(new TreeMap<>(state.contexts())));
    }

    @Override
    public int openContextCount() {
        return read(() -> state.contexts().size());
    }

    @Override
    public Optional<RequestContext> openContext(long callbackId) {
        return read(() -> Optional.ofNullable(state.context(callbackId)));
    }

    @Override
    public boolean isExecuted(String messageIdHex) {
        return read(() -> state.isExecuted(messageIdHex));
    }

    @Override
    public Optional<Long> cyclesBalance(String canisterId) {
        return read(() -> Optional.ofNullable(state.canister(canisterId)).map(CanisterState::cycles));
    }

    @Override
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

    @Override
    public byte[] checkpoint() {
        return read(() -> StateCodec.encode(state));
    }

    @Override
    public Optional<String> halted() {
        return halt().map(Halt::reason);
    }

    @Override
    public Optional<Halt> halt() {
        return read(() -> Optional.ofNullable(halt));
    }

    @Override
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
