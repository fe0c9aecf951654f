package org.outcalls.replica.internal.state;

import java.util.Arrays;
import java.util.Map;
import org.outcalls.api.canister.MutableKeyValueState;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.Domains;
import org.outcalls.replica.internal.codec.Sha256;
import org.outcalls.replica.internal.codec.ValueCodec;

/**
 * The whole replicated state as canonical bytes, for checkpoints: decoding gives a state with the
 * same hash. The bytes start with the checkpoint domain's prefix; every collection is written in
 * its sorted order, and decoding refuses any other.
 */
public final class StateCodec {
    private static final int MAX_CANISTERS = 4096;

    private StateCodec() {
    }

    public static byte[] encode(ReplicatedState s) {
        CanonicalWriter w = new CanonicalWriter(1 << 16);
        w.fixed(Domains.CHECKPOINT.prefix()).string(s.subnetId()).i64(s.height()).i64(s.blockTime())
                .i64(s.nextCallbackId());
        s.registry().write(w);
        w.u32(s.canisters().size());
        for (CanisterState c : s.canisters().values()) {
            w.string(c.id()).i64(c.cycles()).u32(c.kv().size());
            for (Map.Entry<String, byte[]> e : c.kv().entries().entrySet()) {
                w.string(e.getKey()).bytes(e.getValue());
            }
        }
        w.u32(s.contexts().size());
        for (RequestContext c : s.contexts().values()) {
            w.bytes(ValueCodec.encodeContext(c));
        }
        Map<String, Long> ingress = s.executedIngress();
        w.u32(ingress.size());
        ingress.forEach((id, expiry) -> w.fixed(Sha256.unhex(id)).i64(expiry));
        if (MembershipCodec.present(s.pendingMembership(), s.appliedMemberships())) {
            // after everything else, and only if there is one: a checkpoint without is byte for byte the older format
            MembershipCodec.write(w, s.pendingMembership(), s.appliedMemberships());
        }
        return w.toByteArray();
    }

    /**
     * @throws DecodeException naming the field if the bytes are not a canonical checkpoint
     */
    public static ReplicatedState decode(byte[] bytes) throws DecodeException {
        CanonicalReader in = new CanonicalReader(bytes);
        byte[] prefix = Domains.CHECKPOINT.prefix();
        if (!Arrays.equals(in.fixed(Math.min(prefix.length, bytes.length)), prefix)) {
            throw new DecodeException(0, "not a replica checkpoint (expected the prefix of " + Domains.CHECKPOINT + ")");
        }
        String subnetId = in.string(256, "subnet id");
        long height = in.i64(0, Long.MAX_VALUE, "height");
        long blockTime = in.i64(0, Long.MAX_VALUE, "block time");
        long nextCallbackId = in.i64(0, Long.MAX_VALUE, "next callback id");
        SubnetRegistry registry = SubnetRegistry.read(in);
        ReplicatedState s = new ReplicatedState(subnetId, height, blockTime, registry, nextCallbackId);
        int canisters = in.u32(MAX_CANISTERS, "canister count");
        String previous = null;
        for (int i = 0; i < canisters; i++) {
            int at = in.offset();
            String id = in.string(256, "canister id");
            previous = CanonicalChecks.sorted(at, "canisters", previous, id);
            long cycles = in.i64(0, Long.MAX_VALUE, "cycles of canister " + id);
            s.addCanister(id, cycles);
            HashedMap kv = s.mutableCanister(id).kv();
            int entries = in.u32(Integer.MAX_VALUE, "entry count");
            String previousKey = null;
            for (int j = 0; j < entries; j++) {
                at = in.offset();
                String key = in.string(MutableKeyValueState.MAX_KEY_BYTES, "key");
                previousKey = CanonicalChecks.sorted(at, "entries of canister " + id, previousKey, key);
                kv.put(key, in.bytes(MutableKeyValueState.MAX_VALUE_BYTES, "value"));
            }
        }
        int contexts = in.u32(Integer.MAX_VALUE, "context count");
        long previousCallback = -1;
        for (int i = 0; i < contexts; i++) {
            int at = in.offset();
            RequestContext c = ValueCodec.decodeContext(in.bytes(Integer.MAX_VALUE, "request context"));
            if (c.callbackId() <= previousCallback || c.callbackId() >= nextCallbackId) {
                throw new DecodeException(at, "contexts: callback id " + c.callbackId()
                        + " is out of order or not below the next callback id " + nextCallbackId);
            }
            if (s.canister(c.canisterId()) == null) {
                throw new DecodeException(at, "context " + c.callbackId() + " of unknown canister " + c.canisterId());
            }
            previousCallback = c.callbackId();
            s.addContext(c);
        }
        int ingress = in.u32(Integer.MAX_VALUE, "executed ingress count");
        previous = null;
        for (int i = 0; i < ingress; i++) {
            int at = in.offset();
            String id = Sha256.hex(in.fixed(Sha256.LENGTH));
            previous = CanonicalChecks.sorted(at, "executed ingress", previous, id);
            s.recordExecuted(id, in.i64());
        }
        if (in.remaining() > 0) {
            MembershipCodec.read(in, s);
        }
        in.expectEnd();
        return s;
    }
}
