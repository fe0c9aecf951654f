package org.outcalls.bench.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.outcalls.api.Fees;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.RejectKind;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.api.canister.QueryContext;

/**
 * The canister that drives the benchmark: {@code go} with the argument {@code "<tag> <url>"} makes
 * one GET outcall (two-thirds policy, no transform, max_response_bytes {@value #MAX_RESPONSE_BYTES})
 * and pays exactly the fee, as the proxy canister does for a REST request; the tag is kept in
 * state under the callback id until the result comes. Each delivery is reported to
 * {@link Deliveries} (the {@link Probe}, or a replica JVM's pipe to it), a measuring side channel
 * that does not touch replicated state.
 */
final class BenchCanister implements Canister {
    static final String ID = "bench";
    static final String METHOD = "go";
    static final long MAX_RESPONSE_BYTES = 8192;

    private final Deliveries deliveries;

    BenchCanister(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    static byte[] argument(long tag, String url) {
        return (tag + " " + url).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void update(CallContext ctx, String method, byte[] argument) throws CanisterException {
        if (!METHOD.equals(method)) {
            throw new CanisterException("bench: unknown method " + method);
        }
        String arg = new String(argument, StandardCharsets.US_ASCII);
        int space = arg.indexOf(' ');
        if (space <= 0) {
            throw new CanisterException("bench: the argument is '<tag> <url>'");
        }
        OutcallRequest r = OutcallRequest.builder(arg.substring(space + 1)).maxResponseBytes(MAX_RESPONSE_BYTES).build();
        long cb = ctx.httpRequest(r, Fees.httpRequestFee(ctx.subnetSize(), r));
        ctx.state().put(key(cb), arg.substring(0, space).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void onOutcallResult(CallContext ctx, OutcallResult result) {
        String k = key(result.callbackId());
        Optional<byte[]> tag = ctx.state().get(k);
        if (tag.isPresent()) {
            ctx.state().delete(k);
            deliveries.delivered(Long.parseLong(new String(tag.get(), StandardCharsets.US_ASCII)),
                    result.reject().map(Object::toString).orElse(null),
                    result.reject().map(r -> r.kind() == RejectKind.SUBNET_BUSY).orElse(false));
        }
    }

    @Override
    public byte[] query(QueryContext ctx, String method, byte[] argument) {
        return Long.toString(ctx.state().size()).getBytes(StandardCharsets.US_ASCII);
    }

    private static String key(long callbackId) {
        return "t/" + callbackId;
    }
}
