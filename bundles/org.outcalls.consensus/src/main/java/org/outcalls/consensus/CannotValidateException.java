package org.outcalls.consensus;

/**
 * A payload section cannot judge a payload on this replica because something local is missing
 * (an agreement policy bundle that the registry enables, for instance). Unlike a plain
 * {@link InvalidPayloadException}, this says nothing about the block: the replica does not vote
 * for it, does not blame its maker and keeps it, so that it validates it again once the missing
 * part is installed. Peers with the part notarize and finalize without this replica; this one
 * waits at that height.
 */
public class CannotValidateException extends InvalidPayloadException {
    private static final long serialVersionUID = 1L;

    public CannotValidateException(String message) {
        super(message);
    }

    public CannotValidateException(String message, Throwable cause) {
        super(message, cause);
    }
}
