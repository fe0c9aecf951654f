package org.outcalls.replica.internal.exec;

/**
 * Words for a failed canister call: the message its caller gets (an ingress status, an outcome),
 * short and built without trusting the canister's exception (its message may be huge, or reading
 * it may throw).
 */
final class Traps {
    /** Longest message a failed call leaves: a canister cannot make a replica keep more. */
    static final int MAX_MESSAGE_CHARS = 1024;

    private Traps() {
    }

    /** {@code SimpleClassName: message}, or the class name alone. */
    static String describe(Throwable e) {
        String message = message(e);
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The exception's message, cut to {@link #MAX_MESSAGE_CHARS}; null if it has none or it cannot be read. */
    static String message(Throwable e) {
        String m;
        try {
            m = e.getMessage();
        } catch (RuntimeException | StackOverflowError unreadable) {
            return "(its message cannot be read: " + unreadable.getClass().getSimpleName() + ")";
        }
        return m == null ? null : abbreviate(m);
    }

    static String abbreviate(String s) {
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
    }
}
