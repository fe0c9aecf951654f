package org.outcalls.adapter.internal;

import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Resolves host names without holding a thread: Netty's DNS resolver on the fetch's own event
 * loop (UDP queries, answers as events), after the hosts file. A lookup ends within the connect
 * limit whatever the name servers do; a name server that never answers costs a pending query,
 * not a thread, so it cannot delay fetches to other hosts.
 *
 * <p>The JDK resolver cannot do this: {@code InetAddress.getAllByName} blocks its thread for as
 * long as the system resolver waits (up to 30 s with the usual retries), so a few slow names
 * used to hold every thread of the adapter's lookup pool.
 */
final class HostResolver implements AutoCloseable {
    /** Raised (as a failed future) when a name does not resolve; the message is the reject's. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final Vertx vertx;
    private final long timeoutMillis;
    private final String servers;
    private final DnsAddressResolverGroup group;

    HostResolver(Vertx vertx, AdapterSettings settings) {
        this.vertx = vertx;
        this.timeoutMillis = settings.connectTimeoutMillis;
        this.servers = settings.dnsServers.isEmpty() ? "the system's name servers"
                : "name server" + (settings.dnsServers.size() > 1 ? "s " : " ") + settings.dnsServers.stream()
                        .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).collect(Collectors.joining(", "));
        DnsServerAddressStreamProvider nameServers = settings.dnsServers.isEmpty()
                ? DnsServerAddressStreamProviders.platformDefault()
                : new SequentialDnsServerAddressStreamProvider(settings.dnsServers);
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder()
                // The channel type of Vert.x's own transport, so the resolver runs on its event loops.
                .datagramChannelFactory(((VertxInternal) vertx).transport().datagramChannelFactory())
                .nameServerProvider(nameServers)
                .hostsFileEntriesResolver(HostsFileEntriesResolver.DEFAULT)
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                // No single query may outlive the whole lookup's limit.
                .queryTimeoutMillis(timeoutMillis);
        this.group = new DnsAddressResolverGroup(builder);
    }

    /**
     * All addresses of {@code host} (hosts file first, then DNS), on the caller's Vert.x context;
     * or a {@link Failure} saying whether the name does not exist or the lookup timed out.
     */
    Future<List<InetAddress>> resolve(String host) {
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        PromiseInternal<List<InetAddress>> promise = context.promise();
        long started = System.nanoTime();
        long timer = context.setTimer(timeoutMillis, id -> promise.tryFail(new Failure(timedOut(host))));
        group.getResolver(context.nettyEventLoop())
                .resolveAll(InetSocketAddress.createUnresolved(host, 0))
                .addListener(done -> {
                    vertx.cancelTimer(timer);
                    if (done.isSuccess()) {
                        @SuppressWarnings("unchecked")
                        List<InetSocketAddress> found = (List<InetSocketAddress>) done.getNow();
                        List<InetAddress> addresses = new ArrayList<>(found.size());
                        found.forEach(a -> addresses.add(a.getAddress()));
                        promise.tryComplete(addresses);
                    } else {
                        promise.tryFail(new Failure(failed(host, done.cause(), started)));
                    }
                });
        return promise.future();
    }

    private String timedOut(String host) {
        return "cannot resolve host '" + host + "': no answer from " + servers + " within " + timeoutMillis
                + " ms (the connect limit also bounds the lookup)";
    }

    private String failed(String host, Throwable cause, long started) {
        if (Failures.find(cause, DnsNameResolverTimeoutException.class) != null) {
            return timedOut(host);
        }
        DnsErrorCauseException error = Failures.find(cause, DnsErrorCauseException.class);
        if (error != null && DnsResponseCode.NXDOMAIN.equals(error.getCode())) {
            return "cannot resolve host '" + host + "': no such host (" + servers + " answered NXDOMAIN)";
        }
        if (error != null) {
            return "cannot resolve host '" + host + "': " + servers + " answered " + error.getCode()
                    + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms";
        }
        return "cannot resolve host '" + host + "': no such host or no address for it (" + Failures.message(cause) + ")";
    }

    @Override
    public void close() {
        group.close();
    }
}
