package org.outcalls.canister.proxy.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.canister.proxy.OutcallJson;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.canister.proxy.ProxyQuotas;

/**
 * {@code balance}: a record of the caller's own account under its message id, and {@code top_up}:
 * an admin credits accounts. Both keep their answer as a result of the caller (retention, quota).
 */
final class AccountMethods {
    private AccountMethods() {
    }

    static void balance(CallContext context, byte[] argument, ProxyQuotas quotas) throws CanisterException {
        if (argument.length > 0) {
            throw Refusals.invalidArgument("balance takes no argument (got " + argument.length
                    + " bytes): it answers for the caller that signed it, and for no one else");
        }
        ResultStore store = new ResultStore(context.state());
        if (store.contains(context.messageId())) {
            return;
        }
        Account a = new Accounts(context.state()).of(context.caller());
        ObjectNode record = completed(context);
        record.putObject("account").put("balance", a.balance()).put("open_outcalls", a.openOutcalls())
                .put("open_request_bytes", a.openRequestBytes()).put("result_bytes", a.resultBytes());
        record.putObject("quotas").put("max_open_outcalls", quotas.maxOpenOutcalls())
                .put("max_open_request_bytes", quotas.maxOpenRequestBytes())
                .put("max_result_bytes", quotas.maxResultBytes()).put("retention_ms", quotas.retentionMillis());
        keep(context, store, record, quotas);
    }

    static void topUp(CallContext context, byte[] argument, ProxyQuotas quotas) throws CanisterException {
        if (!context.callerIsAdmin()) {
            throw Refusals.invalidArgument("top_up: caller " + context.caller() + " is not an admin of this subnet; "
                    + "only a message signed with the subnet's admin key credits accounts");
        }
        ResultStore store = new ResultStore(context.state());
        if (store.contains(context.messageId())) {
            return;
        }
        Map<String, Long> credits = TopUpArgument.parse(argument);
        Accounts accounts = new Accounts(context.state());
        long total;
        try {
            total = credits.values().stream().mapToLong(Long::longValue).reduce(0, Math::addExact);
        } catch (ArithmeticException overflow) {
            throw Refusals.invalidArgument("top_up: the cycles add up to more than " + Long.MAX_VALUE);
        }
        long room = accounts.uncredited(context.cyclesBalance());
        if (total > room) {
            throw Refusals.insufficientCycles("top_up: the proxy canister holds " + context.cyclesBalance()
                    + " cycles, " + accounts.credited() + " of them credited to accounts already; " + total
                    + " more do not fit (at most " + room + ")");
        }
        ObjectNode record = completed(context);
        ArrayNode lines = record.putArray("top_up");
        for (Map.Entry<String, Long> e : credits.entrySet()) {
            Account a = accounts.of(e.getKey());
            long balance;
            try {
                balance = Math.addExact(a.balance(), e.getValue());
            } catch (ArithmeticException overflow) {
                throw Refusals.invalidArgument("top_up: the balance of " + e.getKey() + " would exceed " + Long.MAX_VALUE);
            }
            accounts.put(e.getKey(), a.withBalance(balance));
            lines.addObject().put("principal", e.getKey()).put("cycles", e.getValue()).put("balance", balance);
        }
        accounts.adjustCredited(total);
        keep(context, store, record, quotas);
    }

    private static ObjectNode completed(CallContext context) {
        return JsonNodeFactory.instance.objectNode().put("id", context.messageId())
                .put("status", ProxyProtocol.STATUS_COMPLETED).put("caller", context.caller())
                .put("height", context.height());
    }

    private static void keep(CallContext context, ResultStore store, ObjectNode record, ProxyQuotas quotas) {
        store.keep(context.messageId(), context.caller(), OutcallJson.bytes(record),
                context.blockTime() + quotas.retentionMillis(), quotas.maxResultBytes());
    }
}
