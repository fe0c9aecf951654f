package org.outcalls.canister.proxy.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.Fees;
import org.outcalls.api.Limits;
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
import org.outcalls.canister.proxy.ProxyQuotas;
import org.outcalls.canister.proxy.RequestJsonException;

/**
 * Makes an outcall for each call it receives and keeps the result under the request id (the
 * ingress message id). The cycles come from the caller's own account (its principal's balance in
 * this canister's state) and refunds go back to it; each caller is held to its {@link ProxyQuotas},
 * and results are dropped once their retention ends.
 */
@Component(service = Canister.class, property = Canister.ID_PROPERTY + "=" + ProxyProtocol.CANISTER_ID)
public final class ProxyCanister implements Canister {
    private final ProxyQuotas quotas;

    public ProxyCanister() {
        this(ProxyQuotas.DEFAULT);
    }

    public ProxyCanister(ProxyQuotas quotas) {
        this.quotas = quotas;
    }

    @Override
    public String id() {
        return ProxyProtocol.CANISTER_ID;
    }

    @Override
    public void update(CallContext context, String method, byte[] argument) throws CanisterException {
        new ResultStore(context.state()).pruneExpired(context.blockTime());
        switch (method) {
            case ProxyProtocol.METHOD_OUTCALL -> outcall(context, argument);
            case ProxyProtocol.METHOD_BALANCE -> AccountMethods.balance(context, argument, quotas);
            case ProxyProtocol.METHOD_TOP_UP -> AccountMethods.topUp(context, argument, quotas);
            default -> throw Refusals.invalidArgument("proxy has no update method '" + method + "'; it has '"
                    + ProxyProtocol.METHOD_OUTCALL + "', '" + ProxyProtocol.METHOD_BALANCE + "' and '"
                    + ProxyProtocol.METHOD_TOP_UP + "'");
        }
    }

    private void outcall(CallContext context, byte[] argument) throws CanisterException {
        ProxyCall call;
        try {
            call = OutcallJson.parseArgument(argument);
        } catch (RequestJsonException e) {
            throw Refusals.invalidArgument("malformed outcall request: " + e.getMessage());
        }
        Accounts accounts = new Accounts(context.state());
        ResultStore store = new ResultStore(context.state(), accounts);
        String id = context.messageId();
        if (store.contains(id)) {
            return;
        }
        String caller = context.caller();
        OutcallRequest request = call.request();
        long cycles = call.cycles().orElse(Fees.httpRequestFee(context.subnetSize(), request));
        long requestBytes = Limits.requestBytesForFee(request);
        Account account = accounts.of(caller);
        Admission.check(caller, account, cycles, requestBytes, quotas);
        ObjectNode record = pendingRecord(id, caller, request, context.height());
        long callbackId;
        try {
            callbackId = context.httpRequest(request, cycles);
        } catch (CanisterException e) {
            // Accounts never credit more than the canister holds, so this is not the caller's doing;
            // the host's message would tell the canister's whole balance, which is no caller's business.
            throw Refusals.insufficientCycles("the proxy canister cannot pay this outcall now; try again later");
        }
        record.put("callback_id", callbackId);
        accounts.put(caller, account.opened(cycles, requestBytes));
        accounts.adjustCredited(-cycles);
        store.putPending(id, callbackId, requestBytes, record);
    }

    @Override
    public void onOutcallResult(CallContext context, OutcallResult result) {
        Accounts accounts = new Accounts(context.state());
        ResultStore store = new ResultStore(context.state(), accounts);
        ResultStore.Open open = store.open(result.callbackId());
        ObjectNode record = open == null ? null : store.record(open.id());
        if (record == null) {
            return;
        }
        String owner = record.path("caller").asText(context.caller());
        long refunded = result.cycles().refunded();
        accounts.put(owner, accounts.of(owner).closed(refunded, open.requestBytes()));
        accounts.adjustCredited(refunded);
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
        store.forgetCallback(result.callbackId());
        store.keep(open.id(), owner, KeptRecord.fit(record), context.blockTime() + quotas.retentionMillis(),
                quotas.maxResultBytes());
        store.pruneExpired(context.blockTime());
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

    private static ObjectNode pendingRecord(String id, String caller, OutcallRequest request, long height) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("id", id);
        record.put("status", ProxyProtocol.STATUS_PENDING);
        record.put("caller", caller);
        record.set("request", OutcallJson.request(request));
        record.put("submitted_height", height);
        return record;
    }
}
