package org.outcalls.bench.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.outcalls.crypto.Ed25519Work;

class Ed25519SpeedTest {
    @Test
    void everyCheckItTimesIsMadeOnTheCurve() {
        Ed25519Work before = Ed25519Work.byThisThread();
        Ed25519Speed speed = Ed25519Speed.measure(50); // throws if the memory of valid signatures answered a check
        Ed25519Work done = Ed25519Work.byThisThread().minus(before);
        assertTrue(done.verifications() >= 5 * 50, "five rounds of 50 checks on the curve, got " + done);
        assertTrue(speed.signMicros() > 0 && speed.verifyMicros() > 0, speed.toString());
    }
}
