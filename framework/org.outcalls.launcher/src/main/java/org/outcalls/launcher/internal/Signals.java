package org.outcalls.launcher.internal;

import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into a clean stop. Handling the signals (rather than a shutdown hook)
 * lets the process stop the framework, close its logs and exit with status 0.
 */
final class Signals {
    private Signals() {
    }

    static void onTerminate(Runnable action) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> action.run());
            } catch (IllegalArgumentException e) {
                // the signal does not exist on this platform; the default action stays
            }
        }
    }
}
