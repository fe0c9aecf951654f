package org.outcalls.consensus;

/**
 * A payload section cannot judge a payload on this replica because something local is missing
 * (an agreement policy bundle that the registry enables, for instance). Unlike a plain
 * {@link InvalidPayloadException}, this says nothing about the block: the replica does not vote
 * for it, does not blame its maker and keeps it, so that it validates it again once the missing
 * part is installed. Peers with the part notarize and finalize without this replica; this one
 * waits at that height, until the block is notarized: then the honest replicas among its notaries
 * have checked it, and this one follows it without voting for it.
 */
public class CannotValidateException extends InvalidPayloadException {
    private static final long serialVersionUID = 1L;
    private final boolean catchingUp;

    public CannotValidateException(String message) {
        this(message, false);
    }

    /**
     * @param catchingUp the replica only has to progress (execute a height it has not reached yet),
     *                   which happens by itself in a moment: nothing to tell an operator about
     */
    public CannotValidateException(String message, boolean catchingUp) {
        super(message);
        this.catchingUp = catchingUp;
    }

    public CannotValidateException(String message, Throwable cause) {
        super(message, cause);
        this.catchingUp = cause instanceof CannotValidateException c && c.catchingUp;
    }

    /** Whether the replica only has to catch up; see {@link #CannotValidateException(String, boolean)}. */
    public boolean catchingUp() {
        return catchingUp;
    }
}
