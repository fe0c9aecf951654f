package org.outcalls.adapter.internal;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.SocketAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.outcalls.adapter.FetchResult;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Limits;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

/**
 * One fetch, from limits check to delivered response. Runs on one Vert.x context, so its
 * callbacks and its deadline never run at the same time; whichever finishes first wins, and the
 * connection of an abandoned exchange is reset so no more bytes are read for it.
 */
final class Fetch {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Fetch.class);
    private final VertxHttpsAdapter adapter;
    private final AdapterSettings settings;
    private final OutcallRequest request;
    private final CompletableFuture<FetchResult> result;
    private TargetUrl url;
    private List<InetAddress> addresses;
    private long timer = -1;
    private boolean done;
    private HttpClientRequest exchange;
    /** The address and route of the connection in use, for a second attempt on the same one. */
    private int addressIndex;
    private boolean viaProxy;
    /** Sends so far; callbacks of an earlier send are ignored once the request went out again. */
    private int sends;
    private boolean sentOnReusedConnection;
    /** The connection of the resend, which this fetch opened outside the pool and closes when it ends. */
    private HttpClientConnection ownConnection;
    /** Whether this fetch holds one of the adapter's slots for connections of their own. */
    private boolean holdsOwnConnection;
    private BoundedBody body;
    private BodyDecoder decoder;
    private boolean decoding;
    private long headerBytes;

    Fetch(VertxHttpsAdapter adapter, OutcallRequest request, CompletableFuture<FetchResult> result) {
        this.adapter = adapter;
        this.settings = adapter.settings;
        this.request = request;
        this.result = result;
    }

    void start() {
        try {
            Optional<Reject> limits = RequestLimits.check(request);
            if (limits.isPresent()) {
                finish(FetchResult.of(limits.get()));
                return;
            }
            Reject badHeader = WireHeaders.unsendable(request);
            if (badHeader != null) {
                finish(FetchResult.of(badHeader));
                return;
            }
            TargetUrl.Result parsed = TargetUrl.parse(request.url());
            if (parsed.reject() != null) {
                finish(FetchResult.of(parsed.reject()));
                return;
            }
            url = parsed.url();
            timer = adapter.vertx.setTimer(settings.requestTimeoutMillis, id -> guarded(this::onDeadline));
            resolve();
        } catch (RuntimeException e) {
            finish(FetchResult.of(Rejects.unreachable("the adapter failed to fetch " + where() + ": " + e)));
        }
    }

    private void resolve() {
        if (url.ipLiteral() || url.host().indexOf(':') >= 0) {
            try {
                // A literal: parsed, never looked up.
                checkAndConnect(List.of(InetAddress.getByName(url.host())));
            } catch (UnknownHostException e) {
                finish(FetchResult.of(Rejects.invalidUrl("url host '" + url.host() + "' is not a valid IP address")));
            }
            return;
        }
        String host = url.host();
        adapter.names.resolve(host).onComplete(ar -> guarded(() -> {
            if (done) {
                return;
            }
            if (ar.failed()) {
                finish(FetchResult.of(Rejects.dns(ar.cause() instanceof HostResolver.Failure ? ar.cause().getMessage()
                        : "cannot resolve host '" + host + "': " + Failures.message(ar.cause()))));
            } else {
                checkAndConnect(ar.result());
            }
        }));
    }

    /** Every resolved address must be allowed; then the adapter connects to exactly those. */
    private void checkAndConnect(List<InetAddress> resolved) {
        List<InetAddress> checked = new ArrayList<>(resolved.size());
        for (InetAddress a : resolved) {
            String why = settings.destinations.refusal(url.host(), url.port(), a);
            if (why != null) {
                // Decided before any connection and worded without the port, so whether something
                // listens there never shows: the subnet is no port scanner.
                finish(FetchResult.of(Rejects.blocked("destination " + url.host() + " resolves to "
                        + a.getHostAddress() + ", " + why + "; such destinations are refused"
                        + " (to allow it, run with --allow-target " + a.getHostAddress()
                        + (url.ipLiteral() ? "" : " or --allow-target " + url.host())
                        + ", or HOST:PORT for one port only)")));
                return;
            }
            try {
                // Drop the host name so nothing below can look it up again (no DNS rebinding).
                checked.add(InetAddress.getByAddress(a.getAddress()));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        if (checked.isEmpty()) {
            finish(FetchResult.of(Rejects.dns("host '" + url.host() + "' resolves to no address")));
            return;
        }
        addresses = checked;
        connect(0, false);
    }

    private void connect(int index, boolean viaProxy) {
        this.addressIndex = index;
        this.viaProxy = viaProxy;
        adapter.client.request(requestOptions(index, viaProxy)).onComplete(ar -> guarded(() -> onConnected(ar, index, viaProxy)));
    }

    /**
     * The resend after a stale pooled connection goes on a connection of this fetch alone, outside
     * the pool: an origin that dropped one idle connection has often dropped the others too. The
     * adapter bounds how many such connections are open ({@link VertxHttpsAdapter#takeOwnConnection}).
     */
    private void connectOwn() {
        int index = addressIndex;
        boolean proxied = viaProxy;
        HttpConnectOptions options = new HttpConnectOptions()
                .setHost(url.host())
                .setPort(url.port())
                .setSsl(true)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(addresses.get(index), url.port())))
                .setConnectTimeout(settings.connectTimeoutMillis);
        if (proxied) {
            options.setProxyOptions(socks());
        }
        adapter.client.connect(options).onComplete(ar -> guarded(() -> {
            if (ar.failed()) {
                onConnected(Future.failedFuture(ar.cause()), index, proxied);
                return;
            }
            if (done) {
                ar.result().close();
                return;
            }
            ownConnection = ar.result();
            ownConnection.request(requestOptions(index, proxied)).onComplete(r -> guarded(() -> onConnected(r, index, proxied)));
        }));
    }

    private ProxyOptions socks() {
        return new ProxyOptions().setType(ProxyType.SOCKS5).setHost(settings.socksHost).setPort(settings.socksPort);
    }

    private RequestOptions requestOptions(int index, boolean viaProxy) {
        InetAddress address = addresses.get(index);
        RequestOptions options = new RequestOptions()
                .setMethod(io.vertx.core.http.HttpMethod.valueOf(request.method().name()))
                .setHost(url.host())
                .setPort(url.port())
                .setURI(url.requestTarget())
                .setSsl(true)
                .setFollowRedirects(false)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, url.port())))
                .setHeaders(WireHeaders.toSend(request, settings.userAgent));
        if (viaProxy) {
            options.setProxyOptions(socks());
        }
        return options;
    }

    private void onConnected(AsyncResult<HttpClientRequest> ar, int index, boolean viaProxy) {
        if (done) {
            if (ar.succeeded()) {
                // Too late (the deadline passed while connecting): give the stream back unused.
                ar.result().exceptionHandler(t -> { }).reset();
            }
            return;
        }
        if (ar.succeeded()) {
            send(ar.result());
            return;
        }
        InetAddress address = addresses.get(index);
        Reject reject = Failures.connecting(ar.cause(), where(address), settings.connectTimeoutMillis);
        boolean connectFailure = reject.kind() == RejectKind.UNREACHABLE || reject.kind() == RejectKind.CONN_TIMEOUT;
        if (connectFailure && !viaProxy && index + 1 < addresses.size()) {
            connect(index + 1, false);
        } else if (connectFailure && !viaProxy && settings.socksEnabled()) {
            connect(preferIpv4(), true);
        } else {
            finish(FetchResult.of(reject));
        }
    }

    /** The SOCKS fallback serves IPv4 targets first, as the IC's does. */
    private int preferIpv4() {
        for (int i = 0; i < addresses.size(); i++) {
            if (addresses.get(i) instanceof Inet4Address) {
                return i;
            }
        }
        return 0;
    }

    private void send(HttpClientRequest req) {
        exchange = req;
        int send = ++sends;
        sentOnReusedConnection = !adapter.firstUse(req.connection());
        req.exceptionHandler(t -> guarded(() -> onExchangeFailure(send, t)));
        // What a server sends outside any exchange (bytes after a response, a broken frame) closes
        // the connection; a fetch in progress hears of it through its own handlers. Without this,
        // Vert.x would log every such event as an error: a remote server must not fill the log.
        req.connection().exceptionHandler(t -> LOG.debug("connection to {} failed: {}", where(), t.toString()));
        Future<HttpClientResponse> response;
        if (request.bodySize() == 0 && (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)) {
            response = req.send();
        } else {
            response = req.send(Buffer.buffer(request.body()));
        }
        response.onComplete(ar -> guarded(() -> {
            if (done || send != sends) {
                return;
            }
            if (ar.failed()) {
                onExchangeFailure(send, ar.cause());
            } else {
                onResponse(send, ar.result());
            }
        }));
    }

    private void onResponse(int send, HttpClientResponse response) {
        response.exceptionHandler(t -> guarded(() -> onExchangeFailure(send, t)));
        List<HttpHeader> headers;
        try {
            headers = WireHeaders.received(response.headers());
        } catch (IllegalArgumentException e) {
            abort(Rejects.protocol("malformed response header from " + where() + ": " + e.getMessage()));
            return;
        }
        Optional<Reject> headerReject = Limits.checkHeaders(headers, "response", RejectCode.SYS_FATAL);
        if (headerReject.isPresent()) {
            abort(headerReject.get());
            return;
        }
        long max = request.effectiveMaxResponseBytes();
        headerBytes = Limits.headerBytes(headers);
        if (headerBytes > max) {
            abort(Rejects.tooLarge("response exceeds max_response_bytes: its headers alone are " + headerBytes
                    + " bytes (names + values); at most " + max + " bytes are allowed"));
            return;
        }
        long allowance = max - headerBytes;
        int status = response.statusCode();
        boolean bodyless = request.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
        String encoding = bodyless ? null : response.getHeader(HttpHeaders.CONTENT_ENCODING);
        decoding = BodyDecoder.decodes(encoding);
        if (!bodyless && !decoding) {
            long announced = contentLength(response.getHeader(HttpHeaders.CONTENT_LENGTH));
            if (announced > allowance) {
                abort(Rejects.tooLarge("response exceeds max_response_bytes: " + (headerBytes + announced)
                        + " bytes (headers " + headerBytes + " + body " + announced + " announced by Content-Length); at most "
                        + max + " bytes are allowed"));
                return;
            }
        }
        body = new BoundedBody(allowance, adapter.accounting);
        decoder = BodyDecoder.forEncoding(encoding, body);
        response.handler(chunk -> guarded(() -> onData(chunk)));
        response.endHandler(v -> guarded(() -> onEnd(status, headers)));
    }

    private void onData(Buffer chunk) {
        if (done) {
            return;
        }
        try {
            if (!decoder.write(chunk.getBytes())) {
                long max = request.effectiveMaxResponseBytes();
                abort(Rejects.tooLarge("response exceeds max_response_bytes: more than " + max + " bytes (headers "
                        + headerBytes + " + " + (decoding ? "decompressed body" : "body") + " > " + body.allowance() + ")"));
            }
        } catch (BodyDecoder.MalformedBody e) {
            abort(Rejects.protocol("malformed response body from " + where() + ": " + e.getMessage()));
        }
    }

    private void onEnd(int status, List<HttpHeader> headers) {
        if (done) {
            return;
        }
        try {
            decoder.finish();
            finish(FetchResult.of(HttpResponse.of(status, headers, body.toByteArray())));
        } catch (BodyDecoder.MalformedBody e) {
            finish(FetchResult.of(Rejects.protocol("malformed response body from " + where() + ": " + e.getMessage())));
        } catch (IllegalArgumentException e) {
            finish(FetchResult.of(Rejects.protocol("malformed response from " + where() + ": " + e.getMessage())));
        }
    }

    private void onExchangeFailure(int send, Throwable t) {
        if (done || send != sends) {
            return;
        }
        if (body == null && sentOnReusedConnection && Failures.connectionLost(t)) {
            onStaleConnection(t);
            return;
        }
        abort(Failures.exchanging(t, where()));
    }

    /**
     * A pooled keep-alive connection died before a byte of the response head: most likely the
     * server closed it as idle just as the request went out, so the server never saw the request.
     * Browsers and HTTP libraries send such a request once more when that is safe; so does the
     * adapter, or this replica would report a failure where the others got the response.
     */
    private void onStaleConnection(Throwable t) {
        String replayBlocker = Replay.blocker(request);
        if (replayBlocker == null && sends == 1) {
            exchange = null;
            if (adapter.takeOwnConnection()) {
                holdsOwnConnection = true;
                connectOwn();
            } else {
                connect(addressIndex, viaProxy);
            }
            return;
        }
        Reject closed = Failures.exchanging(t, where());
        String why = replayBlocker != null ? replayBlocker
                : "it had already been sent again once, after the first reused connection closed";
        abort(Reject.of(closed.code(), closed.kind(), closed.message() + " (on a reused keep-alive connection);"
                + " the request was not sent again: " + why));
    }

    private void onDeadline() {
        timer = -1;
        if (done) {
            return;
        }
        String got = body == null ? (exchange == null ? "no connection yet" : "no response yet")
                : "received headers and " + body.size() + " body bytes";
        abort(Rejects.timeout("request to " + where() + " did not complete within " + settings.requestTimeoutMillis
                + " ms (the whole-request limit; " + got + ")"));
    }

    /** Ends the fetch with a reject and stops reading: the stream (HTTP/2) or connection (HTTP/1) is reset. */
    private void abort(Reject reject) {
        finish(FetchResult.of(reject));
        if (exchange != null) {
            try {
                exchange.reset();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    private void finish(FetchResult r) {
        if (done) {
            return;
        }
        done = true;
        if (timer >= 0) {
            adapter.vertx.cancelTimer(timer);
        }
        if (ownConnection != null) {
            ownConnection.close();
        }
        if (holdsOwnConnection) {
            holdsOwnConnection = false;
            adapter.releaseOwnConnection();
        }
        if (decoder != null) {
            decoder.close();
        }
        if (body != null) {
            body.release();
        }
        result.complete(r);
    }

    /**
     * Runs one step of the fetch; whatever it throws ends the fetch with a reject instead of
     * leaving the caller's stage open.
     */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            abort(Rejects.unreachable("the adapter failed while fetching from " + where() + ": " + e));
        }
    }

    private static long contentLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private String where() {
        return url == null ? "the host" : url.authority();
    }

    private String where(InetAddress address) {
        return url.authority() + " (" + address.getHostAddress() + ")";
    }
}
