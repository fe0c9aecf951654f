package org.outcalls.replica.local;

import java.time.Duration;
import java.util.SortedMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.replica.SubnetNode;

/**
 * Development and tests only: credits accounts in the proxy canister when a local subnet starts,
 * with one {@code top_up} signed by the subnet's admin key, and waits for the block that executes
 * it. So {@code outcalls run}'s own identities (the gateway's, for loopback JSON calls, and the
 * user's CLI identity) can make outcalls at once, while every other caller starts at zero.
 */
public final class DevelopmentAccounts {
    private DevelopmentAccounts() {
    }

    /**
     * @throws IllegalStateException if the subnet refused the top-up or did not execute it in time
     */
    public static void credit(LocalSubnet subnet, SortedMap<String, Long> cyclesByPrincipal, Duration timeout)
            throws InterruptedException {
        if (cyclesByPrincipal.isEmpty()) {
            return;
        }
        String id;
        try {
            id = subnet.submitSigned(ProxyProtocol.CANISTER_ID, ProxyProtocol.METHOD_TOP_UP,
                    ProxyProtocol.topUpArgument(cyclesByPrincipal), subnet.adminKey()).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw new IllegalStateException("development accounts: the top-up was not accepted: "
                    + e.getCause().getMessage(), e.getCause());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CountDownLatch executed = new CountDownLatch(1);
            try (AutoCloseable ignored = subnet.onHeight(executed::countDown)) {
                SubnetNode.IngressState s = subnet.ingressState(id);
                switch (s.status()) {
                    case EXECUTED -> {
                        return;
                    }
                    case FAILED, EXPIRED, UNKNOWN -> throw new IllegalStateException("development accounts: the top-up "
                            + id + " was " + s.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + s.message());
                    case RECEIVED -> {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new IllegalStateException("development accounts: no block executed the top-up "
                                    + id + " within " + timeout.toSeconds() + " s");
                        }
                        executed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                    }
                }
            } catch (InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception closing) {
                throw new IllegalStateException(closing);
            }
        }
    }
}
