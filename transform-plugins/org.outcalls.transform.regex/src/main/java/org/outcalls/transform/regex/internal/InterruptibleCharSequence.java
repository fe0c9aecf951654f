package org.outcalls.transform.regex.internal;

/**
 * A view of text that {@link java.util.regex.Matcher} reads one character at a time and that stops
 * the match once the thread is interrupted. Java's regex engine never checks for interrupts itself,
 * so without this a pattern that backtracks catastrophically (say {@code (a+)+b} over many
 * {@code a}s) would hold its thread for longer than the age of the universe; with it, the host's
 * time limit can end the match by interrupting the thread.
 */
final class InterruptibleCharSequence implements CharSequence {
    /** Reads between two checks; a check is cheap, but not free. */
    private static final int CHECK_EVERY = 1024;

    private final CharSequence text;
    private int untilCheck = CHECK_EVERY;

    InterruptibleCharSequence(CharSequence text) {
        this.text = text;
    }

    /** Thrown from inside the match when the thread was interrupted. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("interrupted", null, false, false);
        }
    }

    @Override
    public char charAt(int index) {
        if (--untilCheck <= 0) {
            untilCheck = CHECK_EVERY;
            if (Thread.currentThread().isInterrupted()) {
                throw new Interrupted();
            }
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new InterruptibleCharSequence(text.subSequence(start, end));
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
