package org.outcalls.consensus.outcall;

import java.util.ArrayList;
import java.util.List;
import org.outcalls.api.Limits;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;

/**
 * The {@code outcalls} section of a block: the state height whose request contexts the items answer,
 * then the callback ids (ascending), then the items, so a validator reads the ids of ancestor
 * payloads without decoding their items.
 */
public final class OutcallPayload {
    public static final int MAX_ITEMS = Limits.MAX_RESPONSES_PER_BLOCK;

    /**
     * @param stateHeight the executed height whose open request contexts the items answer: every
     *                    item's context must be open in the replicated state of that height
     */
    public record Decoded(long stateHeight, List<OutcallItem> items) {
        public Decoded {
            items = List.copyOf(items);
        }
    }

    private OutcallPayload() {
    }

    public static byte[] encode(long stateHeight, List<OutcallItem> items) {
        if (items.isEmpty()) {
            return new byte[0];
        }
        CanonicalWriter w = new CanonicalWriter(4096);
        w.i64(stateHeight);
        w.list(items, (iw, item) -> iw.i64(item.callbackId()));
        w.list(items, (iw, item) -> iw.bytes(item.encode()));
        return w.toByteArray();
    }

    /** The callback ids a payload answers, ascending. */
    public static List<Long> callbackIds(byte[] payload) throws DecodeException {
        if (payload.length == 0) {
            return List.of();
        }
        CanonicalReader in = new CanonicalReader(payload);
        in.i64(0, Long.MAX_VALUE, "state height");
        return in.list(MAX_ITEMS, "callback ids", r -> r.i64(0, Long.MAX_VALUE, "callback id"));
    }

    public static Decoded decode(byte[] payload) throws DecodeException {
        if (payload.length == 0) {
            return new Decoded(0, List.of());
        }
        CanonicalReader in = new CanonicalReader(payload);
        long stateHeight = in.i64(0, Long.MAX_VALUE, "state height");
        List<Long> ids = in.list(MAX_ITEMS, "callback ids", r -> r.i64(0, Long.MAX_VALUE, "callback id"));
        List<byte[]> encoded = in.list(MAX_ITEMS, "items", r -> r.bytes((int) Limits.MAX_OUTCALL_PAYLOAD_BYTES, "item"));
        in.expectEnd();
        if (ids.isEmpty()) {
            throw new DecodeException(0, "a payload without items must be empty");
        }
        if (ids.size() != encoded.size()) {
            throw new DecodeException(0, ids.size() + " callback ids for " + encoded.size() + " items");
        }
        List<OutcallItem> items = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0 && ids.get(i) <= ids.get(i - 1)) {
                throw new DecodeException(0, "callback ids are not strictly ascending at position " + i);
            }
            OutcallItem item = OutcallItem.decode(encoded.get(i));
            if (item.callbackId() != ids.get(i)) {
                throw new DecodeException(0, "item " + i + " answers callback " + item.callbackId() + ", listed as " + ids.get(i));
            }
            items.add(item);
        }
        return new Decoded(stateHeight, items);
    }
}
