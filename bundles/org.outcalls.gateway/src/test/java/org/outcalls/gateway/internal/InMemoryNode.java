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
    public Map<String, Object> status() {
        return Map.of("replicas", List.of(Map.of("index", 0, "height", 7)));
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
