package org.outcalls.demo.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Decimals;
import org.outcalls.api.Fees;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.Policies;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.TransformSpec;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.api.canister.QueryContext;

/**
 * An example canister: {@code refresh} (argument: the price API's URL) asks every replica for the
 * price, extracted by the {@code number} transform, and agrees on the median; {@code latest}
 * returns the last agreed price with its count, min and max. Everything it does is deterministic:
 * state lives in the host's key-value map, time is block time.
 */
@Component(service = Canister.class, property = Canister.ID_PROPERTY + "=" + PriceFeedCanister.ID)
public final class PriceFeedCanister implements Canister {
    public static final String ID = "price-feed";
    private static final String LATEST = "latest";
    private static final String ERROR = "last_error";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void update(CallContext ctx, String method, byte[] argument) throws CanisterException {
        if (!"refresh".equals(method)) {
            throw new CanisterException("price-feed has the update method 'refresh' (argument: the price URL), not '" + method + "'");
        }
        OutcallRequest request;
        try {
            request = OutcallRequest.builder(new String(argument, StandardCharsets.UTF_8).strip())
                    .transform(TransformSpec.of("number", "/price"))
                    .policy(Policies.MEDIAN)
                    .maxResponseBytes(2048)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CanisterException("refresh: " + e.getMessage());
        }
        ctx.httpRequest(request, Fees.httpRequestFee(ctx.subnetSize(), request));
    }

    @Override
    public void onOutcallResult(CallContext ctx, OutcallResult result) {
        if (result.value().isPresent()) {
            try {
                ctx.state().put(LATEST, latest(result.value().get(), ctx).getBytes(StandardCharsets.UTF_8));
                ctx.state().delete(ERROR);
                return;
            } catch (IllegalArgumentException e) {
                // a value outside the decimal range is a typed error here, never a rendering of its billion digits
                error(ctx, Reject.of(RejectCode.CANISTER_ERROR, RejectKind.TRANSFORM_ERROR,
                        "the agreed value cannot be used: " + e.getMessage()).toString());
                return;
            }
        }
        error(ctx, result.reject().map(Object::toString).orElse("no value in the result"));
    }

    /** The record {@code latest} answers; each decimal at most {@value Decimals#MAX_PLAIN_CHARS} characters. */
    static String latest(AggregateValue v, CallContext ctx) {
        return String.format(Locale.ROOT,
                "{\"median\":\"%s\",\"count\":%d,\"min\":\"%s\",\"max\":\"%s\",\"height\":%d,\"block_time\":%d}",
                Decimals.toPlainString(v.value(), "median"), v.count(), Decimals.toPlainString(v.min(), "min"),
                Decimals.toPlainString(v.max(), "max"), ctx.height(), ctx.blockTime());
    }

    private static void error(CallContext ctx, String why) {
        ctx.state().put(ERROR, why.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] query(QueryContext ctx, String method, byte[] argument) throws CanisterException {
        if (!LATEST.equals(method) && !ERROR.equals(method)) {
            throw new CanisterException("price-feed answers the queries 'latest' and 'last_error', not '" + method + "'");
        }
        return ctx.state().get(method).orElseThrow(() -> new CanisterException(
                LATEST.equals(method) ? "no price agreed yet: call refresh first" : "no error"));
    }
}
