package org.outcalls.launcher.internal;

/** A stop that may be requested before the runtime exists; it is carried out once it does. */
final class StopRequest {
    private OsgiRuntime runtime;
    private boolean requested;

    synchronized void request() {
        requested = true;
        if (runtime != null) {
            runtime.requestStop();
        }
    }

    synchronized void attach(OsgiRuntime runtime) {
        this.runtime = runtime;
        if (requested) {
            runtime.requestStop();
        }
    }
}
