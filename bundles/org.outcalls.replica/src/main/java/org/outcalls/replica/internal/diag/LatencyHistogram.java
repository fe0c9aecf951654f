package org.outcalls.replica.internal.diag;

import java.util.ArrayList;
import java.util.List;
import org.outcalls.replica.Diagnostics;

/** Latencies in fixed buckets (seconds), thread-safe; snapshots are Prometheus-style cumulative counts. */
public final class LatencyHistogram {
    /** From a fast local fetch to the 60 s consensus timeout. */
    public static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final double[] bounds;
    private final long[] counts;
    private double sum;
    private long count;

    public LatencyHistogram() {
        this(SECONDS);
    }

    public LatencyHistogram(double[] bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("bounds: must ascend");
            }
        }
        this.bounds = bounds.clone();
        this.counts = new long[bounds.length + 1];
    }

    public synchronized void observeNanos(long nanos) {
        double seconds = Math.max(0, nanos) / 1e9;
        int i = 0;
        while (i < bounds.length && seconds > bounds[i]) {
            i++;
        }
        counts[i]++;
        sum += seconds;
        count++;
    }

    public synchronized Diagnostics.Histogram snapshot() {
        List<Double> upper = new ArrayList<>(bounds.length);
        List<Long> cumulative = new ArrayList<>(bounds.length + 1);
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i];
            cumulative.add(running);
            if (i < bounds.length) {
                upper.add(bounds[i]);
            }
        }
        return new Diagnostics.Histogram(upper, cumulative, sum, count);
    }

    /** The sum of several histograms with the same bounds. */
    public static Diagnostics.Histogram merge(List<Diagnostics.Histogram> parts) {
        if (parts.isEmpty()) {
            return Diagnostics.Histogram.empty();
        }
        Diagnostics.Histogram first = parts.get(0);
        long[] cumulative = new long[first.cumulative().size()];
        double sum = 0;
        long count = 0;
        for (Diagnostics.Histogram h : parts) {
            if (!h.upperBounds().equals(first.upperBounds())) {
                throw new IllegalArgumentException("histograms with different bounds");
            }
            for (int i = 0; i < cumulative.length; i++) {
                cumulative[i] += h.cumulative().get(i);
            }
            sum += h.sum();
            count += h.count();
        }
        List<Long> c = new ArrayList<>();
        for (long v : cumulative) {
            c.add(v);
        }
        return new Diagnostics.Histogram(first.upperBounds(), c, sum, count);
    }
}
