package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
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
    void ipv6AddressesInOneSlash64ShareABucketAndOtherSlash64sDoNot() throws Exception {
        RateLimiter l = new RateLimiter(0.001, 2, 100);
        InetAddress first = InetAddress.getByName("2001:db8:1:2::1");
        InetAddress second = InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:fffe");
        assertTrue(l.acquire(first, 0).allowed());
        assertTrue(l.acquire(second, 0).allowed());
        assertFalse(l.acquire(first, 0).allowed(), "the /64's burst of 2 is spent by its two addresses together");
        assertFalse(l.acquire(InetAddress.getByName("2001:db8:1:2:abcd::9"), 0).allowed(), "any address in the /64");
        InetAddress nextNetwork = InetAddress.getByName("2001:db8:1:3::1");
        assertTrue(l.acquire(nextNetwork, 0).allowed(), "another /64 has its own bucket");
        assertTrue(l.acquire(nextNetwork, 0).allowed());
        assertEquals(2, l.callers());
    }

    @Test
    void ipv4CallersArePerAddress() throws Exception {
        RateLimiter l = new RateLimiter(0.001, 1, 100);
        assertTrue(l.acquire(InetAddress.getByName("192.0.2.1"), 0).allowed());
        assertFalse(l.acquire(InetAddress.getByName("192.0.2.1"), 0).allowed());
        assertTrue(l.acquire(InetAddress.getByName("192.0.2.2"), 0).allowed(), "the neighbouring address is another caller");
        assertTrue(l.acquire(InetAddress.getByName("::ffff:192.0.2.3"), 0).allowed(), "an IPv4-mapped address is that IPv4 caller");
        assertFalse(l.acquire(InetAddress.getByName("192.0.2.3"), 0).allowed());
    }

    @Test
    void callerKeysNameTheAddressOrTheSlash64() throws Exception {
        assertEquals("192.0.2.1", Callers.key(InetAddress.getByName("192.0.2.1")));
        assertEquals("2001:db8:0:a::/64", Callers.key(InetAddress.getByName("2001:db8:0:a:1:2:3:4")));
        assertEquals("0:0:0:0::/64", Callers.key(InetAddress.getByName("::1")));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0, 1));
    }
}
