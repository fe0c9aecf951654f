package org.outcalls.transport;

import java.time.Duration;

/**
 * Per-link behaviour of an in-JVM network, drawn independently for every frame from the network's
 * seeded random source: a delay uniform in {@code [minDelay, maxDelay]}; loss; duplication (the
 * copy gets its own delay); and reordering (an extra delay up to {@code reorderDelay}, so later
 * frames overtake it).
 *
 * @param minDelay      smallest one-way delay
 * @param maxDelay      largest one-way delay (before reordering)
 * @param loss          probability a frame is dropped, {@code [0, 1)}
 * @param duplication   probability a frame is delivered twice, {@code [0, 1]}
 * @param reordering    probability a frame is held back by an extra delay, {@code [0, 1]}
 * @param reorderDelay  the largest extra delay of a held-back frame
 */
public record NetworkConditions(Duration minDelay, Duration maxDelay, double loss, double duplication,
        double reordering, Duration reorderDelay) {
    public NetworkConditions {
        if (minDelay == null || maxDelay == null || reorderDelay == null || minDelay.isNegative()
                || maxDelay.compareTo(minDelay) < 0 || reorderDelay.isNegative()) {
            throw new IllegalArgumentException("delays: need 0 <= minDelay <= maxDelay and reorderDelay >= 0");
        }
        if (!(loss >= 0 && loss < 1)) {
            throw new IllegalArgumentException("loss: must be in [0, 1), got " + loss);
        }
        if (!(duplication >= 0 && duplication <= 1) || !(reordering >= 0 && reordering <= 1)) {
            throw new IllegalArgumentException("duplication and reordering: must be in [0, 1]");
        }
    }

    /** No delay, no loss: frames arrive in order as soon as the receiver's thread is free. */
    public static NetworkConditions perfect() {
        return new NetworkConditions(Duration.ZERO, Duration.ZERO, 0, 0, 0, Duration.ZERO);
    }

    /** A fixed-range delay and nothing else. */
    public static NetworkConditions delay(Duration min, Duration max) {
        return new NetworkConditions(min, max, 0, 0, 0, Duration.ZERO);
    }

    public NetworkConditions withLoss(double p) {
        return new NetworkConditions(minDelay, maxDelay, p, duplication, reordering, reorderDelay);
    }

    public NetworkConditions withDuplication(double p) {
        return new NetworkConditions(minDelay, maxDelay, loss, p, reordering, reorderDelay);
    }

    public NetworkConditions withReordering(double p, Duration extra) {
        return new NetworkConditions(minDelay, maxDelay, loss, duplication, p, extra);
    }

    /** No delay, loss, duplication or reordering: frames go straight to the receiver. */
    public boolean isPerfect() {
        return maxDelay.isZero() && loss == 0 && duplication == 0 && reordering == 0;
    }

    @Override
    public String toString() {
        return "delay " + minDelay.toMillis() + ".." + maxDelay.toMillis() + " ms, loss " + loss + ", duplication "
                + duplication + ", reordering " + reordering + " (+" + reorderDelay.toMillis() + " ms)";
    }
}
