package org.outcalls.bench.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.outcalls.testkit.origin.ListenPorts;

/** Free loopback ports for replicas that listen for their peers (outside the ephemeral range: see {@link ListenPorts}). */
final class Ports {
    private Ports() {
    }

    /** {@code count} distinct ports, free now. */
    static List<Integer> free(int count) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(ListenPorts.free());
        }
        return ports;
    }
}
