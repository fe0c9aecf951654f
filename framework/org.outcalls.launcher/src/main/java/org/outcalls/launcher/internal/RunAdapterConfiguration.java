package org.outcalls.launcher.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

/**
 * The adapter configuration {@code outcalls run} passes on: {@code conf/org.outcalls.adapter.cfg},
 * with {@code --trust-ca} and {@code --allow-target} overriding its keys, plus the demo origin.
 * The demo is exempt from the private-address block only at its own host name and address and its
 * own port, and its CA is trusted for those hosts only: allowing all of loopback and trusting the
 * demo CA everywhere let outcalls probe every local port (the reject kinds told open from closed)
 * and let the demo CA vouch for any host.
 */
final class RunAdapterConfiguration {
    private RunAdapterConfiguration() {
    }

    /**
     * The demo origin as its marker service describes it.
     *
     * @param host    the host of its URL ({@code localhost})
     * @param address the address it listens on ({@code 127.0.0.1})
     * @param port    its port
     * @param caPem   its CA certificate, a PEM file
     */
    record DemoOrigin(String host, String address, int port, String caPem) {

        /** From the marker's URL ({@code https://localhost:7443/}) and address ({@code 127.0.0.1:7443}). */
        static DemoOrigin of(String url, String listenAddress, String caPem) {
            if (url == null || listenAddress == null || caPem == null) {
                throw new IllegalStateException("the demo origin's marker service lacks its URL, address or CA (has "
                        + url + ", " + listenAddress + ", " + caPem + ")");
            }
            URI uri = URI.create(url);
            int colon = listenAddress.lastIndexOf(':');
            if (uri.getHost() == null || uri.getPort() < 1 || colon < 1
                    || !listenAddress.substring(colon + 1).equals(String.valueOf(uri.getPort()))) {
                throw new IllegalStateException("the demo origin describes itself as " + url + " listening on "
                        + listenAddress + "; expected https://HOST:PORT/ and ADDRESS:PORT with the same port");
            }
            return new DemoOrigin(uri.getHost(), listenAddress.substring(0, colon), uri.getPort(), caPem);
        }

        List<String> allowTargets() {
            return List.of(host + ":" + port, address + ":" + port);
        }

        List<String> scopedTrustCa() {
            return List.of(host + "=" + caPem, address + "=" + caPem);
        }
    }

    /**
     * @param fromFile     what {@code conf/org.outcalls.adapter.cfg} says (comma-separated values)
     * @param trustCa      {@code --trust-ca} values, or null if none was given
     * @param allowTargets {@code --allow-target} values, or null if none was given
     * @param demo         the demo origin, or null with {@code --no-demo}
     */
    static Hashtable<String, Object> of(Hashtable<String, Object> fromFile, List<Path> trustCa, List<String> allowTargets,
            DemoOrigin demo) {
        Hashtable<String, Object> adapter = new Hashtable<>(fromFile);
        if (trustCa != null) {
            adapter.put("trustCa", trustCa.stream().map(p -> p.toAbsolutePath().toString()).toArray(String[]::new));
        }
        List<String> allowed = new ArrayList<>(allowTargets != null ? allowTargets : entries(fromFile.get("allowTargets")));
        List<String> scoped = new ArrayList<>(entries(fromFile.get("scopedTrustCa")));
        if (demo != null) {
            allowed.addAll(demo.allowTargets());
            scoped.addAll(demo.scopedTrustCa());
        }
        if (!allowed.isEmpty()) {
            adapter.put("allowTargets", allowed.toArray(String[]::new));
        }
        if (!scoped.isEmpty()) {
            adapter.put("scopedTrustCa", scoped.toArray(String[]::new));
        }
        return adapter;
    }

    /** A .cfg list ("a, b"); empty for none. */
    private static List<String> entries(Object value) {
        List<String> out = new ArrayList<>();
        if (value != null && !value.toString().isBlank()) {
            for (String part : value.toString().split(",")) {
                out.add(part.strip());
            }
        }
        return out;
    }
}
