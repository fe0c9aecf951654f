package org.outcalls.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Which transform each replica applies to its response before signing it, and the caller's
 * context bytes handed to that transform.
 */
public final class TransformSpec {
    private final String name;
    private final byte[] context;

    private TransformSpec(String name, byte[] context) {
        this.name = name;
        this.context = context;
    }

    /**
     * @param name    the transform's registered name, for example {@code json}
     * @param context the caller's context bytes; {@code null} means none
     */
    public static TransformSpec of(String name, byte[] context) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("transform.name: must not be empty");
        }
        if (!name.equals(name.strip())) {
            throw new IllegalArgumentException("transform.name: must not start or end with whitespace");
        }
        return new TransformSpec(name, context == null ? new byte[0] : context.clone());
    }

    /** A transform whose context is the given UTF-8 text. */
    public static TransformSpec of(String name, String context) {
        return of(name, context == null ? null : context.getBytes(StandardCharsets.UTF_8));
    }

    public String name() {
        return name;
    }

    public byte[] context() {
        return context.clone();
    }

    public int contextSize() {
        return context.length;
    }

    /** Bytes counted in the fee: the name in UTF-8 plus the context. */
    public int byteSize() {
        return name.getBytes(StandardCharsets.UTF_8).length + context.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformSpec t && name.equals(t.name) && Arrays.equals(context, t.context);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        return "TransformSpec[" + name + ", " + context.length + " context bytes]";
    }
}
