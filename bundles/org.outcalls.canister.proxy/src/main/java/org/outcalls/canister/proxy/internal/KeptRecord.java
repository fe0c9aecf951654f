package org.outcalls.canister.proxy.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.canister.MutableKeyValueState;
import org.outcalls.canister.proxy.OutcallJson;
import org.outcalls.canister.proxy.ProxyProtocol;

/**
 * A final record as it is kept. One that would not fit in a state value becomes a reject saying so:
 * a callback that trapped on it would keep the caller's open outcall and its refund forever.
 */
final class KeptRecord {
    private KeptRecord() {
    }

    static byte[] fit(ObjectNode record) {
        byte[] bytes = OutcallJson.bytes(record);
        if (bytes.length <= MutableKeyValueState.MAX_VALUE_BYTES) {
            return bytes;
        }
        int size = bytes.length;
        record.remove("response");
        record.remove("value");
        record.remove("certificate");
        record.put("status", ProxyProtocol.STATUS_REJECTED);
        record.set("reject", OutcallJson.reject(Reject.of(RejectCode.SYS_FATAL, RejectKind.RESPONSE_TOO_LARGE,
                "the result record would be " + size + " bytes; the proxy keeps at most "
                        + MutableKeyValueState.MAX_VALUE_BYTES + " per result: ask for fewer max_response_bytes")));
        return OutcallJson.bytes(record);
    }
}
