package org.outcalls.replica.internal.state;

import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.DecodeException;

/** What every canonical decoder of replicated state checks, so each value has exactly one encoding. */
final class CanonicalChecks {
    private CanonicalChecks() {
    }

    /** Keys must come strictly ascending, so each value has one encoding. */
    static String sorted(int offset, String field, String previous, String next) throws DecodeException {
        if (previous != null && previous.compareTo(next) >= 0) {
            throw new DecodeException(offset, field + ": '" + next + "' is out of order or repeated");
        }
        return next;
    }

    interface Maker<T> {
        T make();
    }

    /** Runs a value's constructor, turning its IllegalArgumentException into a DecodeException. */
    static <T> T construct(CanonicalReader in, Maker<T> maker) throws DecodeException {
        try {
            return maker.make();
        } catch (IllegalArgumentException e) {
            throw new DecodeException(in.offset(), e.getMessage());
        }
    }
}
