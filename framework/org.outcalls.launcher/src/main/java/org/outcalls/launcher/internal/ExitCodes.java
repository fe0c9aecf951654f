package org.outcalls.launcher.internal;

/** Exit codes of client subcommands; documented in the README. */
final class ExitCodes {
    /** The outcall completed (or the command succeeded). */
    static final int OK = 0;
    /** The outcall was rejected (or verification failed). */
    static final int REJECTED = 1;
    /** Wrong usage: unknown flag or bad value. */
    static final int USAGE = 2;
    /** The subnet's gateway could not be reached, or the answer did not come in time. */
    static final int UNREACHABLE = 3;

    private ExitCodes() {
    }
}
