package org.outcalls.replica.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.QueryContext;

class CanisterServicesTest {
    record Stub(String id) implements Canister {
        @Override
        public void update(CallContext context, String method, byte[] argument) {
        }

        @Override
        public void onOutcallResult(CallContext context, OutcallResult result) {
        }

        @Override
        public byte[] query(QueryContext context, String method, byte[] argument) {
            return new byte[0];
        }
    }

    private static Map<String, Object> props(String id, long serviceId, int ranking) {
        return id == null ? Map.of("service.id", serviceId, "service.ranking", ranking)
                : Map.of(Canister.ID_PROPERTY, id, "service.id", serviceId, "service.ranking", ranking);
    }

    @Test
    void canistersAreFoundByTheirIdPropertyInOsgiOrderAndForgottenWhenWithdrawn() {
        CanisterServices s = new CanisterServices();
        Stub old = new Stub("proxy");
        Stub newer = new Stub("proxy");
        Stub ranked = new Stub("proxy");
        s.addCanister(old, props("proxy", 5, 0));
        s.addCanister(newer, props("proxy", 9, 0));
        assertSame(old, s.canister("proxy").orElseThrow(), "the oldest of equal ranking");
        s.addCanister(ranked, props("proxy", 12, 10));
        assertSame(ranked, s.canister("proxy").orElseThrow(), "the highest ranking");
        s.removeCanister(ranked, props("proxy", 12, 10));
        s.removeCanister(old, props("proxy", 5, 0));
        assertSame(newer, s.canister("proxy").orElseThrow());
        s.removeCanister(newer, props("proxy", 9, 0));
        assertTrue(s.canister("proxy").isEmpty());

        Stub unnamed = new Stub("other");
        s.addCanister(unnamed, props(null, 20, 0));
        assertEquals(unnamed, s.canister("other").orElseThrow(), "without the property, by id()");
    }
}
