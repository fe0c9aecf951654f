package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aBurstThenTheRate() {
        RateLimiter l = new RateLimiter(2, 4, 100);
        for (int i = 0; i < 4; i++) {
            assertTrue(l.acquire("a", 0).allowed());
        }
        RateLimiter.Decision refused = l.acquire("a", 0);
        assertFalse(refused.allowed());
        assertEquals(1, refused.retryAfterSeconds());
        assertTrue(l.acquire("a", S / 2).allowed(), "half a second brings one token at 2/s");
        assertFalse(l.acquire("a", S / 2).allowed());
        assertTrue(l.acquire("b", S / 2).allowed(), "callers are limited separately");
        assertEquals(2, l.limitedCount());
    }

    @Test
    void tokensNeverExceedTheBurst() {
        RateLimiter l = new RateLimiter(1, 2, 100);
        assertTrue(l.acquire("a", 0).allowed());
        long later = 1000 * S;
        assertTrue(l.acquire("a", later).allowed());
        assertTrue(l.acquire("a", later).allowed());
        assertFalse(l.acquire("a", later).allowed());
    }

    @Test
    void theCallerTableIsBounded() {
        RateLimiter l = new RateLimiter(1, 1, 3);
        for (int i = 0; i < 10; i++) {
            l.acquire("c" + i, 0);
        }
        assertEquals(3, l.callers());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0, 1));
    }
}
