package org.outcalls.adapter.internal;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.TrustOptions;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

/**
 * The adapter on a Vert.x HTTP client: one pooled client (keep-alive HTTP/1.1 and HTTP/2 by
 * ALPN, per-host limits, idle eviction) shared by every fetch, with the private-address check
 * done on the addresses the adapter resolved itself and then connects to.
 */
public final class VertxHttpsAdapter implements HttpsAdapter, AutoCloseable {
    /** Longest status line accepted from a server. */
    static final int MAX_STATUS_LINE_BYTES = 16 * 1024;

    final Vertx vertx;
    final AdapterSettings settings;
    final HttpClientAgent client;
    final HostResolver names;
    final BufferAccounting accounting = new BufferAccounting();
    /** Connections a fetch has sent on (weakly held): a later send on one of them is on a reused connection. */
    private final AtomicInteger ownConnections = new AtomicInteger();
    private final Set<HttpConnection> usedConnections = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    VertxHttpsAdapter(Vertx vertx, AdapterSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setTrustOptions(TrustOptions.wrap(settings.trust))
                .setConnectTimeout(settings.connectTimeoutMillis)
                .setSslHandshakeTimeout(settings.requestTimeoutMillis)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setKeepAlive(true)
                .setKeepAliveTimeout(settings.idleTimeoutSeconds)
                .setHttp2KeepAliveTimeout(settings.idleTimeoutSeconds)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                // The adapter decompresses itself, counting the output; and it must not add an
                // Accept-Encoding the caller did not send.
                .setDecompressionSupported(false)
                .setMaxRedirects(0)
                .setMaxHeaderSize(Failures.DECODER_MAX_HEADER_BYTES)
                .setMaxInitialLineLength(MAX_STATUS_LINE_BYTES)
                .setInitialSettings(new Http2Settings().setMaxHeaderListSize(Failures.DECODER_MAX_HEADER_BYTES))
                .setName("outcalls-adapter");
        // One limit for both kinds: until ALPN has answered, Vert.x counts a new connection as
        // HTTP/2, so a smaller HTTP/2 limit would also cap HTTP/1.1 hosts. An HTTP/2 host gets a
        // new connection only when the open ones have no stream left.
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(settings.maxConnectionsPerHost)
                .setHttp2MaxSize(settings.maxConnectionsPerHost);
        this.client = vertx.httpClientBuilder().with(options).with(pool).build();
        this.names = new HostResolver(vertx, settings);
    }

    @Override
    public CompletionStage<FetchResult> fetch(OutcallRequest request) {
        CompletableFuture<FetchResult> result = new CompletableFuture<>();
        if (request == null) {
            result.complete(FetchResult.of(Reject.of(RejectCode.SYS_FATAL, RejectKind.INVALID_ARGUMENT,
                    "no request given to the adapter")));
            return result;
        }
        try {
            // Each fetch lives on one event loop: its callbacks and its deadline never race.
            Context context = vertx.getOrCreateContext();
            context.runOnContext(v -> new Fetch(this, request, result).start());
        } catch (RuntimeException e) {
            result.complete(FetchResult.of(Rejects.unreachable("the adapter cannot fetch right now: " + e)));
        }
        return result;
    }

    /** True the first time a fetch sends on this connection, false when the connection is reused. */
    boolean firstUse(HttpConnection connection) {
        return usedConnections.add(connection);
    }

    /**
     * Whether a fetch may resend on a connection of its own, outside the pool: at most
     * {@code maxConnectionsPerHost} such connections are open at once, so an origin that drops
     * many connections together (or every reused one) cannot make the adapter open connections
     * without bound. Past that, resends go through the pool. Give a taken slot back with
     * {@link #releaseOwnConnection()}.
     */
    boolean takeOwnConnection() {
        if (ownConnections.incrementAndGet() <= settings.maxConnectionsPerHost) {
            return true;
        }
        ownConnections.decrementAndGet();
        return false;
    }

    void releaseOwnConnection() {
        ownConnections.decrementAndGet();
    }

    /** Bytes of response bodies held right now and at most; for the load test and the benchmark. */
    BufferAccounting accounting() {
        return accounting;
    }

    @Override
    public void close() {
        names.close();
        client.close();
    }
}
