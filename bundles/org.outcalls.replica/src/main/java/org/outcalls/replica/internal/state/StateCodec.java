package org.outcalls.replica.internal.state;

import java.util.Map;
import org.outcalls.api.canister.MutableKeyValueState;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.internal.codec.CanonicalInput;
import org.outcalls.replica.internal.codec.CanonicalOutput;
import org.outcalls.replica.internal.codec.MalformedInputException;
import org.outcalls.replica.internal.codec.Sha256;
import org.outcalls.replica.internal.codec.ValueCodec;

/**
 * The whole replicated state as canonical bytes, for checkpoints: decoding gives a state with the
 * same hash. Every collection is written in its sorted order, and decoding refuses any other.
 */
public final class StateCodec {
    public static final String DOMAIN = "outcalls/state-checkpoint/v1";
    private static final int MAX_CANISTERS = 4096;

    private StateCodec() {
    }

    public static byte[] encode(ReplicatedState s) {
        CanonicalOutput out = new CanonicalOutput(1 << 16);
        out.domain(DOMAIN).string(s.subnetId()).i64(s.height()).i64(s.blockTime()).i64(s.nextCallbackId());
        RegistryCodec.write(out, s.registry());
        out.i32(s.canisters().size());
        for (CanisterState c : s.canisters().values()) {
            out.string(c.id()).i64(c.cycles()).i32(c.kv().size());
            for (Map.Entry<String, byte[]> e : c.kv().entries().entrySet()) {
                out.string(e.getKey()).bytes(e.getValue());
            }
        }
        out.i32(s.contexts().size());
        for (RequestContext c : s.contexts().values()) {
            out.bytes(ValueCodec.encodeContext(c));
        }
        Map<String, Long> ingress = s.executedIngress();
        out.i32(ingress.size());
        ingress.forEach((id, expiry) -> out.fixed(Sha256.unhex(id)).i64(expiry));
        return out.toByteArray();
    }

    /**
     * @throws IllegalArgumentException naming the field if the bytes are not a canonical checkpoint
     */
    public static ReplicatedState decode(byte[] bytes) {
        CanonicalInput in = new CanonicalInput(bytes);
        in.domain(DOMAIN);
        String subnetId = in.string("subnet_id", 256);
        long height = in.i64("height");
        long blockTime = in.i64("block_time");
        long nextCallbackId = in.i64("next_callback_id");
        SubnetRegistry registry = RegistryCodec.read(in);
        ReplicatedState s = new ReplicatedState(subnetId, height, blockTime, registry, nextCallbackId);
        int canisters = in.length("canisters", MAX_CANISTERS);
        String previous = null;
        for (int i = 0; i < canisters; i++) {
            String id = in.string("canister.id", 256);
            previous = RegistryCodec.sorted("canisters", previous, id);
            long cycles = in.i64("canister.cycles");
            if (cycles < 0) {
                throw new MalformedInputException("canister " + id + ": negative cycles");
            }
            s.addCanister(id, cycles);
            HashedMap kv = s.mutableCanister(id).kv();
            int entries = in.length("canister.entries", Integer.MAX_VALUE);
            String previousKey = null;
            for (int j = 0; j < entries; j++) {
                String key = in.string("entry.key", MutableKeyValueState.MAX_KEY_BYTES);
                previousKey = RegistryCodec.sorted("canister " + id + " entries", previousKey, key);
                kv.put(key, in.bytes("entry.value", MutableKeyValueState.MAX_VALUE_BYTES));
            }
        }
        int contexts = in.length("contexts", Integer.MAX_VALUE);
        long previousCallback = -1;
        for (int i = 0; i < contexts; i++) {
            RequestContext c = ValueCodec.decodeContext(in.bytes("context", Integer.MAX_VALUE));
            if (c.callbackId() <= previousCallback || c.callbackId() >= nextCallbackId) {
                throw new MalformedInputException("contexts: callback id " + c.callbackId()
                        + " is out of order or not below the next callback id " + nextCallbackId);
            }
            previousCallback = c.callbackId();
            s.addContext(c);
        }
        int ingress = in.length("executed_ingress", Integer.MAX_VALUE);
        previous = null;
        for (int i = 0; i < ingress; i++) {
            String id = Sha256.hex(in.fixed("executed_ingress.id", Sha256.LENGTH));
            previous = RegistryCodec.sorted("executed_ingress", previous, id);
            s.recordExecuted(id, in.i64("executed_ingress.expiry"));
        }
        in.end();
        return s;
    }
}
