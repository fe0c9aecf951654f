package org.outcalls.launcher.internal;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Sends a submission again while the gateway answers {@code 503} with the error kind
 * {@code subnet_busy} (the subnet refused it before it entered the pool, so sending the same
 * request again is safe). Waits the longer of the gateway's {@code Retry-After} and an exponential
 * back-off (1, 2, 4, … s, at most {@value #MAX_BACKOFF_SECONDS} s) and says so on standard error;
 * gives up, returning the last answer, when the next wait would pass the deadline.
 */
final class BusyRetry {
    static final long FIRST_BACKOFF_SECONDS = 1;
    static final long MAX_BACKOFF_SECONDS = 16;

    /** One try of the submission. */
    @FunctionalInterface
    interface Attempt {
        GatewayClient.Reply send() throws GatewayClient.Unreachable, InterruptedException;
    }

    /** How waiting is done: a test replaces it. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final PrintStream err;
    private final Sleeper sleeper;
    private final String command;

    BusyRetry(String command, PrintStream err, Sleeper sleeper) {
        this.command = command;
        this.err = err;
        this.sleeper = sleeper;
    }

    /** Retries {@code attempt} while busy, for at most {@code budget} of waiting. */
    static GatewayClient.Reply submit(String command, Attempt attempt, Duration budget)
            throws GatewayClient.Unreachable, InterruptedException {
        return new BusyRetry(command, System.err, d -> Thread.sleep(d.toMillis())).run(attempt, budget);
    }

    GatewayClient.Reply run(Attempt attempt, Duration budget) throws GatewayClient.Unreachable, InterruptedException {
        Duration waited = Duration.ZERO;
        long backoff = FIRST_BACKOFF_SECONDS;
        while (true) {
            GatewayClient.Reply reply = attempt.send();
            if (!busy(reply)) {
                return reply;
            }
            long seconds = Math.max(backoff, reply.retryAfterSeconds());
            Duration wait = Duration.ofSeconds(seconds);
            if (waited.plus(wait).compareTo(budget) > 0) {
                err.println(command + ": subnet busy, giving up after " + waited.toSeconds() + " s of retrying (--timeout)");
                return reply;
            }
            err.println(command + ": subnet busy, retrying in " + seconds + " s");
            sleeper.sleep(wait);
            waited = waited.plus(wait);
            backoff = Math.min(MAX_BACKOFF_SECONDS, backoff * 2);
        }
    }

    /** Whether the gateway refused for now because the subnet (or this caller's share of it) is full. */
    static boolean busy(GatewayClient.Reply reply) {
        return reply.status() == 503 && "subnet_busy".equals(reply.json().path("error").path("kind").asText());
    }
}
