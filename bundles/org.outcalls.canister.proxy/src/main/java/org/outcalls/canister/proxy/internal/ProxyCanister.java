package org.outcalls.canister.proxy.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.Fees;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.api.canister.QueryContext;
import org.outcalls.canister.proxy.OutcallJson;
import org.outcalls.canister.proxy.ProxyCall;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.canister.proxy.RequestJsonException;

/**
 * Makes an outcall for each REST call it receives and keeps the result under the request id (the
 * ingress message id), paying from its own cycles balance.
 */
@Component(service = Canister.class, property = Canister.ID_PROPERTY + "=" + ProxyProtocol.CANISTER_ID)
public final class ProxyCanister implements Canister {

    @Override
    public String id() {
        return ProxyProtocol.CANISTER_ID;
    }

    @Override
    public void update(CallContext context, String method, byte[] argument) throws CanisterException {
        if (!ProxyProtocol.METHOD_OUTCALL.equals(method)) {
            throw new CanisterException("proxy has no update method '" + method + "'; it has '"
                    + ProxyProtocol.METHOD_OUTCALL + "'");
        }
        ProxyCall call;
        try {
            call = OutcallJson.parseArgument(argument);
        } catch (RequestJsonException e) {
            throw new CanisterException("malformed outcall request: " + e.getMessage());
        }
        ResultStore store = new ResultStore(context.state());
        String id = context.messageId();
        if (store.contains(id)) {
            return;
        }
        OutcallRequest request = call.request();
        long cycles = call.cycles().orElse(Fees.httpRequestFee(context.subnetSize(), request));
        ObjectNode record = pendingRecord(id, request, context.height());
        try {
            long callbackId = context.httpRequest(request, cycles);
            record.put("callback_id", callbackId);
            store.putPending(id, callbackId, record);
        } catch (CanisterException e) {
            Reject reject = Reject.of(RejectCode.CANISTER_REJECT, RejectKind.INSUFFICIENT_CYCLES, e.getMessage());
            record.put("status", ProxyProtocol.STATUS_REJECTED);
            record.put("height", context.height());
            record.set("reject", OutcallJson.reject(reject));
            record.set("cycles", OutcallJson.cycles(new org.outcalls.api.Cycles(0, 0, 0)));
            store.putFinal(id, record);
        }
    }

    @Override
    public void onOutcallResult(CallContext context, OutcallResult result) {
        ResultStore store = new ResultStore(context.state());
        String id = store.requestOf(result.callbackId());
        if (id == null) {
            return;
        }
        ObjectNode record = store.record(id);
        if (record == null) {
            return;
        }
        Optional<Reject> reject = result.reject();
        ObjectNode value = null;
        try {
            value = result.value().map(OutcallJson::value).orElse(null);
        } catch (IllegalArgumentException e) {
            // a value this canister cannot render is the caller's typed reject, never a trap
            reject = Optional.of(Reject.of(RejectCode.CANISTER_ERROR, RejectKind.TRANSFORM_ERROR,
                    "the agreed value cannot be delivered: " + e.getMessage()));
        }
        record.put("status", reject.isPresent() ? ProxyProtocol.STATUS_REJECTED : ProxyProtocol.STATUS_COMPLETED);
        record.put("height", context.height());
        result.response().ifPresent(r -> record.set("response", OutcallJson.response(r)));
        if (value != null) {
            record.set("value", value);
        }
        reject.ifPresent(r -> record.set("reject", OutcallJson.reject(r)));
        record.set("cycles", OutcallJson.cycles(result.cycles()));
        result.context().ifPresent(c -> {
            // the request exactly as the shares signed it, beside the rest of their context
            record.set("request", OutcallJson.request(c.request()));
            record.set("context", OutcallJson.context(c));
        });
        byte[] certificate = result.certificate();
        if (certificate.length > 0) {
            record.put("certificate", Base64.getEncoder().encodeToString(certificate));
        }
        store.complete(id, result.callbackId(), record);
    }

    @Override
    public byte[] query(QueryContext context, String method, byte[] argument) throws CanisterException {
        if (!ProxyProtocol.QUERY_GET.equals(method)) {
            throw new CanisterException("proxy has no query method '" + method + "'; it has '"
                    + ProxyProtocol.QUERY_GET + "'");
        }
        String id = new String(argument, StandardCharsets.UTF_8);
        byte[] record = new ResultStore(context.state()).recordBytes(id);
        if (record == null) {
            throw new CanisterException(ProxyProtocol.NOT_FOUND_PREFIX + id);
        }
        return record;
    }

    private static ObjectNode pendingRecord(String id, OutcallRequest request, long height) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("id", id);
        record.put("status", ProxyProtocol.STATUS_PENDING);
        record.set("request", OutcallJson.request(request));
        record.put("submitted_height", height);
        return record;
    }
}
