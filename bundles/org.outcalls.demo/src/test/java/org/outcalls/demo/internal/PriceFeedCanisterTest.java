package org.outcalls.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Cycles;
import org.outcalls.api.Decimals;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.MutableKeyValueState;

/** The price feed keeps an agreed median whose every decimal renders small, whatever its exponent. */
class PriceFeedCanisterTest {
    private final PriceFeedCanister feed = new PriceFeedCanister();
    private final Host host = new Host();

    @Test
    void theExtremesOfTheRangeAreKeptInFull() throws Exception {
        BigDecimal widest = new BigDecimal(BigInteger.TEN.pow(299), Decimals.MAX_SCALE);
        BigDecimal tiniest = new BigDecimal("-1e-100");
        feed.onOutcallResult(host, OutcallResult.aggregated(1, new AggregateValue(tiniest, 3, tiniest, widest),
                new Cycles(0, 0, 0), new byte[0]));
        String latest = new String(feed.query(host, "latest", new byte[0]), StandardCharsets.UTF_8);
        assertTrue(latest.startsWith("{\"median\":\"-0." + "0".repeat(99) + "1\",\"count\":3,"), latest);
        assertTrue(latest.length() < 3 * Decimals.MAX_PLAIN_CHARS + 100, latest);
        assertThrows(org.outcalls.api.canister.CanisterException.class, () -> feed.query(host, "last_error", new byte[0]));
    }

    @Test
    void theRecordIsBuiltFromRangeCheckedRenderings() {
        AggregateValue v = new AggregateValue(BigDecimal.ONE, 1, BigDecimal.ONE, BigDecimal.ONE);
        assertEquals("{\"median\":\"1\",\"count\":1,\"min\":\"1\",\"max\":\"1\",\"height\":5,\"block_time\":9}",
                PriceFeedCanister.latest(v, host));
        assertThrows(IllegalArgumentException.class,
                () -> new AggregateValue(new BigDecimal("1e999999999"), 1, BigDecimal.ONE, BigDecimal.TEN),
                "no agreed value can hold it in the first place");
    }

    /** Just enough of a replica for the feed: a sorted map as state. */
    private static final class Host implements CallContext, MutableKeyValueState {
        private final TreeMap<String, byte[]> entries = new TreeMap<>();

        @Override public MutableKeyValueState state() { return this; }
        @Override public String canisterId() { return PriceFeedCanister.ID; }
        @Override public long blockTime() { return 9; }
        @Override public long height() { return 5; }
        @Override public int subnetSize() { return 4; }
        @Override public long cyclesBalance() { return 0; }
        @Override public String caller() { return "caller"; }
        @Override public String messageId() { return "m"; }
        @Override public long httpRequest(OutcallRequest request, long cycles) { throw new UnsupportedOperationException(); }
        @Override public Optional<byte[]> get(String key) { return Optional.ofNullable(entries.get(key)); }
        @Override public void scan(String prefix, String afterKey, int limit, BiConsumer<String, byte[]> visitor) { }
        @Override public long size() { return entries.size(); }
        @Override public void put(String key, byte[] value) { entries.put(key, value.clone()); }
        @Override public void delete(String key) { entries.remove(key); }
    }
}
