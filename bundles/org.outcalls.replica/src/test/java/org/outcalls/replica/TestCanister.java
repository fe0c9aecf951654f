package org.outcalls.replica;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.api.canister.QueryContext;

/**
 * A canister for tests. Built-in update methods: {@code put} ("key=value"), {@code put-then-fail}
 * (puts, then throws CanisterException), {@code put-then-crash} (puts, then throws a runtime
 * exception); anything else goes to {@link #onUpdate}. Every result is recorded in
 * {@link #results} and in state under {@code result/<callback id>}, then passed to
 * {@link #onResult}. Query {@code get} returns a key's value.
 */
public class TestCanister implements Canister {
    public interface Update {
        void run(CallContext c, String method, byte[] argument) throws CanisterException;
    }

    interface Result {
        void run(CallContext c, OutcallResult r) throws CanisterException;
    }

    private final String id;
    final List<OutcallResult> results = new ArrayList<>();
    public Update onUpdate = (c, m, a) -> {
        throw new CanisterException("no method " + m);
    };
    Result onResult = (c, r) -> {
    };

    TestCanister(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void update(CallContext c, String method, byte[] argument) throws CanisterException {
        String arg = new String(argument, StandardCharsets.UTF_8);
        switch (method) {
            case "put" -> put(c, arg);
            case "put-then-fail" -> {
                put(c, arg);
                throw new CanisterException("refused on purpose");
            }
            case "put-then-crash" -> {
                put(c, arg);
                throw new IllegalStateException("crashed on purpose");
            }
            default -> onUpdate.run(c, method, argument);
        }
    }

    private static void put(CallContext c, String arg) {
        int eq = arg.indexOf('=');
        c.state().put(arg.substring(0, eq), arg.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onOutcallResult(CallContext c, OutcallResult r) throws CanisterException {
        results.add(r);
        c.state().put("result/" + r.callbackId(), describe(r).getBytes(StandardCharsets.UTF_8));
        onResult.run(c, r);
    }

    static String describe(OutcallResult r) {
        String what = r.response().map(x -> "response " + x.status())
                .or(() -> r.value().map(v -> "value " + v.value()))
                .orElseGet(() -> "reject " + r.reject().orElseThrow().code() + " "
                        + r.reject().orElseThrow().kind().wireName());
        return what + " " + r.cycles();
    }

    @Override
    public byte[] query(QueryContext c, String method, byte[] argument) throws CanisterException {
        if (!method.equals("get")) {
            throw new CanisterException("no query " + method);
        }
        return c.state().get(new String(argument, StandardCharsets.UTF_8))
                .orElseThrow(() -> new CanisterException("no key"));
    }
}
