package org.outcalls.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingBudgetTest {
    private static final long MS = 1_000_000L;
    private static final ServingBudget.Limits LIMITS = new ServingBudget.Limits(1000, 100, 5, 2, Duration.ofMillis(400), 3);

    @Test
    void aBurstIsAnsweredThenTheSteadyRateAndNoMore() {
        ServingBudget b = Transports.servingBudget("test", 0, 2, LIMITS);
        for (int i = 0; i < 5; i++) {
            assertTrue(b.admit(1, "r" + i, 100, 0));
        }
        assertFalse(b.admit(1, "r5", 100, 0), "the burst of five replies is used up");
        assertFalse(b.admit(1, "r5", 100, 400 * MS), "0.8 of a reply has come back");
        assertTrue(b.admit(1, "r5", 100, 500 * MS), "two replies a second");
        assertEquals(new ServingBudget.Stats(6, 600, 2, 0), b.stats(1));
        assertEquals(2, b.refused());
    }

    @Test
    void bytesAreBoundedOverAnyStretchOfTime() {
        ServingBudget b = Transports.servingBudget("test", 0, 1, new ServingBudget.Limits(1000, 100, 1000, 1000,
                Duration.ZERO, 16));
        long served = 0;
        for (long t = 0; t <= 10_000 * MS; t += 10 * MS) {
            for (int i = 0; i < 10; i++) {
                if (b.admit(0, null, 30, t)) {
                    served += 30;
                }
            }
        }
        assertTrue(served <= 1000 + 100 * 10, "at most the burst plus the rate times ten seconds: " + served);
        assertTrue(served >= 1900, "and about that much: " + served);
    }

    @Test
    void theSameRequestIsNotAnsweredTwiceWithinTheReplayWindow() {
        ServingBudget b = Transports.servingBudget("test", 0, 2, LIMITS);
        assertTrue(b.admit(1, List.of(7L, "h"), 10, 0));
        assertFalse(b.admit(1, List.of(7L, "h"), 10, 399 * MS));
        assertTrue(b.admit(0, List.of(7L, "h"), 10, 399 * MS), "another peer's request is its own");
        assertTrue(b.admit(1, List.of(7L, "h"), 10, 400 * MS), "an honest retry after the window is answered");
        assertEquals(new ServingBudget.Stats(2, 20, 0, 1), b.stats(1));
    }

    @Test
    void onlyTheNewestRequestsAreRemembered() {
        ServingBudget b = Transports.servingBudget("test", 0, 1, new ServingBudget.Limits(1000, 100, 100, 100,
                Duration.ofSeconds(1), 3));
        for (int i = 0; i < 4; i++) {
            assertTrue(b.admit(0, i, 1, 0));
        }
        assertTrue(b.admit(0, 0, 1, 1), "the oldest of four was forgotten (three are remembered)");
        assertFalse(b.admit(0, 3, 1, 2));
    }

    @Test
    void aStreamedReplyStopsAtTheByteBudget() {
        ServingBudget b = Transports.servingBudget("test", 0, 1, LIMITS);
        assertTrue(b.admit(0, "catch-up", 0, 0));
        int frames = 0;
        while (b.spend(0, 300, 0)) {
            frames++;
        }
        assertEquals(3, frames, "three frames of 300 bytes fit in 1000");
        assertFalse(b.spend(0, 50, 0), "after a refused frame the rest of the reply is refused: no holes");
        assertEquals(new ServingBudget.Stats(1, 900, 1, 0), b.stats(0));
        assertFalse(b.spend(0, 300, 2000 * MS), "still the same reply");
        assertTrue(b.admit(0, "catch-up again", 0, 2000 * MS));
        assertTrue(b.spend(0, 300, 2000 * MS), "refilled at 100 bytes a second");
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ServingBudget.Limits(0, 1, 1, 1, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new ServingBudget.Limits(1, 1, 1, 1, Duration.ZERO, 0));
    }
}
