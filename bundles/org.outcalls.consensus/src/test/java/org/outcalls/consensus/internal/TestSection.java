package org.outcalls.consensus.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.outcalls.consensus.CannotValidateException;
import org.outcalls.consensus.InvalidPayloadException;
import org.outcalls.consensus.PayloadContext;
import org.outcalls.consensus.PayloadSection;

/**
 * A payload section scripted by a test: it builds {@link #next}, rejects the payload "bad", cannot
 * judge anything while {@link #cannotValidate} is set, and remembers the contexts it saw.
 */
public final class TestSection implements PayloadSection {
    public static final String NAME = "test";
    public boolean work;
    public byte[] next = new byte[0];
    public boolean cannotValidate;
    public final List<PayloadContext> built = new ArrayList<>();
    public final List<List<String>> ancestorsSeen = new ArrayList<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean hasWork() {
        return work;
    }

    @Override
    public byte[] build(PayloadContext context) {
        built.add(context);
        return next;
    }

    @Override
    public void validate(PayloadContext context, byte[] payload) throws InvalidPayloadException {
        List<String> ancestors = new ArrayList<>();
        for (byte[] a : context.ancestorPayloads()) {
            ancestors.add(new String(a, StandardCharsets.UTF_8));
        }
        ancestorsSeen.add(ancestors);
        if (cannotValidate) {
            throw new CannotValidateException("policy p is not installed here");
        }
        if ("bad".equals(new String(payload, StandardCharsets.UTF_8))) {
            throw new InvalidPayloadException("bad payload");
        }
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
