package org.outcalls.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {
    @Test
    void aTargetOfAJvmPerReplicaWarmsUpForAMinuteInAFullRunAndTheOthersAsBefore() {
        BenchSettings full = BenchSettings.of(Map.of());
        assertEquals(BenchSettings.HOSTS_WARMUP_MILLIS, full.warmupMillis(true));
        assertEquals(full.warmupMillis(), full.warmupMillis(false));

        BenchSettings quick = BenchSettings.of(Map.of("quick", "true"));
        assertEquals(quick.warmupMillis(), quick.warmupMillis(true), "a smoke run stays short");
    }
}
