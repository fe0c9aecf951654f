package org.outcalls.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import org.outcalls.api.Fees;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.api.canister.QueryContext;

/**
 * Test canister: {@code fan} makes many outcalls per message (argument {@code count|url1 url2 ...},
 * cycling the URLs); every result is counted per callback id, so a second delivery shows.
 */
final class FanOutCanister implements Canister {
    static final String ID = "fan-out";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void update(CallContext ctx, String method, byte[] argument) throws CanisterException {
        String[] parts = new String(argument, StandardCharsets.UTF_8).split("\\|", 2);
        int count = Integer.parseInt(parts[0]);
        String[] urls = parts[1].split(" ");
        for (int i = 0; i < count; i++) {
            OutcallRequest r = OutcallRequest.builder(urls[i % urls.length]).build();
            long cb = ctx.httpRequest(r, Fees.httpRequestFee(ctx.subnetSize(), r));
            ctx.state().put("url/" + key(cb), r.url().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void onOutcallResult(CallContext ctx, OutcallResult result) {
        String k = key(result.callbackId());
        int seen = ctx.state().get("count/" + k).map(b -> Integer.parseInt(new String(b, StandardCharsets.US_ASCII))).orElse(0);
        ctx.state().put("count/" + k, Integer.toString(seen + 1).getBytes(StandardCharsets.US_ASCII));
        String outcome = result.reject().map(r -> "reject:" + r.kind().wireName())
                .orElseGet(() -> "response:" + result.response().orElseThrow().status() + ":" + sha(result.response().get().body()));
        ctx.state().put("result/" + k, outcome.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] query(QueryContext ctx, String method, byte[] argument) {
        StringBuilder out = new StringBuilder();
        String prefix = method + "/";
        ctx.state().scan(prefix, null, Integer.MAX_VALUE, (k, v) -> out.append(k.substring(prefix.length())).append('=')
                .append(new String(v, StandardCharsets.UTF_8)).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(long cb) {
        return String.format(Locale.ROOT, "%012d", cb);
    }
}
