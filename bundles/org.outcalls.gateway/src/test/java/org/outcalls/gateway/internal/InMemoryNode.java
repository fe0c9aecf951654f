package org.outcalls.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.SubnetStatus;

/** A node whose proxy records the test sets by hand; enough to exercise the HTTP contract. */
class InMemoryNode implements SubnetNode {
    final Map<String, byte[]> records = new ConcurrentHashMap<>();
    final Map<String, IngressState> ingress = new ConcurrentHashMap<>();
    final List<byte[]> submitted = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<String> submit(String canisterId, String method, byte[] argument) {
        submitted.add(argument);
        String id = String.format("%064x", submitted.size());
        ingress.put(id, IngressState.of(IngressState.Status.RECEIVED));
        return CompletableFuture.completedFuture(id);
    }

    @Override
    public CompletionStage<byte[]> query(String canisterId, String method, byte[] argument) {
        String id = new String(argument, StandardCharsets.UTF_8);
        byte[] record = records.get(id);
        return record != null ? CompletableFuture.completedFuture(record)
                : CompletableFuture.failedFuture(new Exception(ProxyProtocol.NOT_FOUND_PREFIX + id));
    }

    @Override
    public IngressState ingressState(String messageId) {
        return ingress.getOrDefault(messageId, IngressState.of(IngressState.Status.UNKNOWN));
    }

    @Override
    public SubnetStatus status() {
        return oneReplicaAtHeight7();
    }

    /** A subnet of one honest replica that executed height 7. */
    static SubnetStatus oneReplicaAtHeight7() {
        SubnetStatus.ReplicaRow row = new SubnetStatus.ReplicaRow(0, "node-0", "00".repeat(32), null, "up", "none", 7L,
                7L, "00".repeat(32), null, null, null, List.of(), List.of(), null);
        return new SubnetStatus("00".repeat(32), null, 1, 0, 1, 1, Map.of(), Map.of(), Map.of(), null, null, null,
                null, List.of(), true, List.of(row));
    }

    @Override
    public AutoCloseable onHeight(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void executeHeight() {
        listeners.forEach(Runnable::run);
    }

    int listenerCount() {
        return listeners.size();
    }
}
