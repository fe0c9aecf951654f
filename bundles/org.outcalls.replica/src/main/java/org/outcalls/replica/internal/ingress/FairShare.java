package org.outcalls.replica.internal.ingress;

/**
 * A caller's fair share of the admission window, as the ingress gate (what the front replica lets
 * in) and block making (what a maker takes) both reckon it, so that the two agree on who is over.
 *
 * <p>Callers together may hold {@value #CALLER_SHARE_PERCENT}% of the mark; one caller holds at most
 * that less what the others hold, and never less than an equal share of it among the callers holding
 * any. Neither the gate nor block making lets a caller past that, but one call may open up to 500
 * request contexts after it was let in: what a caller holds past the shared part is its overrun.
 * Overruns do not count toward the mark for the others (they count against the caller's own share,
 * and against the registry's bound, which execution enforces), so one caller's fan-out cannot keep
 * everybody else out until its contexts are decided or time out. The overshoot this allows is
 * bounded by the mark itself, however many callers there are: what is not overrun still must stay
 * below the mark, and the total below the registry's bound.
 */
final class FairShare {
    /** Share of the mark one caller may hold when it is the only one holding any. */
    static final int CALLER_SHARE_PERCENT = 75;

    private FairShare() {
    }

    /** The part of the mark callers may hold. */
    static long shared(int mark) {
        return (long) mark * CALLER_SHARE_PERCENT / 100;
    }

    /**
     * The most a caller may hold now.
     *
     * @param othersHeld   what the other callers hold together
     * @param otherHolders how many other callers hold any
     */
    static long cap(int mark, long othersHeld, int otherHolders) {
        long shared = shared(mark);
        return Math.max(1, Math.max(shared / (otherHolders + 1), shared - othersHeld));
    }

    /** What the callers holding {@code holdings} hold past the shared part of the mark, together. */
    static long overrun(Iterable<? extends Number> holdings, int mark) {
        long shared = shared(mark);
        long overrun = 0;
        for (Number held : holdings) {
            overrun += Math.max(0, held.longValue() - shared);
        }
        return overrun;
    }
}
