package org.outcalls.api;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The agreed number of an aggregating policy such as {@code median}: the value, and the count,
 * minimum and maximum of the signed values it was computed from. All three decimals lie within
 * the {@linkplain Decimals decimal range}, so rendering one is always small.
 */
public record AggregateValue(BigDecimal value, int count, BigDecimal min, BigDecimal max) {
    public AggregateValue {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        Decimals.requireInRange(value, "value");
        Decimals.requireInRange(min, "min");
        Decimals.requireInRange(max, "max");
        if (count < 1) {
            throw new IllegalArgumentException("count: must be at least 1 (was " + count + ")");
        }
        if (min.compareTo(value) > 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("value " + value + " is not within [" + min + ", " + max + "]");
        }
    }
}
