package org.outcalls.replica.internal.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a peer lacks, judged from its announcement against the registry: exact versions, sorted. */
class HostedStatusTest {
    private static final Map<String, String> ENABLED = Map.of("shout", "1.0.1", "median", "0.1.0", "methods", "0.1.0");

    @Test
    void aPeerWithAnOtherVersionLacksTheEnabledOne() {
        assertEquals(List.of("shout@1.0.1"),
                HostedStatus.lacking(ENABLED, List.of("median@0.1.0", "methods@0.1.0", "shout@1.0.0")));
    }

    @Test
    void aPeerWithEveryEnabledVersionLacksNothingWhateverElseItHas() {
        assertEquals(List.of(), HostedStatus.lacking(ENABLED,
                List.of("median@0.1.0", "methods@0.1.0", "shout@1.0.0", "shout@1.0.1", "tag@9.0.0")));
    }

    @Test
    void anEmptyAnnouncementLacksEverythingInNameOrder() {
        assertEquals(List.of("median@0.1.0", "methods@0.1.0", "shout@1.0.1"), HostedStatus.lacking(ENABLED, List.of()));
    }
}
