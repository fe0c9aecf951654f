package org.outcalls.demo.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A price that moves a little on every quote, like a live market: each replica asking at nearly
 * the same moment gets a slightly different number.
 */
final class PriceWalk {
    private double price;

    PriceWalk(double start) {
        this.price = start;
    }

    /** The next quote: a move of at most ±0.05 %, rounded to 4 decimals. */
    synchronized BigDecimal next() {
        price *= 1 + (ThreadLocalRandom.current().nextDouble() - 0.5) * 0.001;
        return BigDecimal.valueOf(price).setScale(4, RoundingMode.HALF_EVEN);
    }
}
