package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether enough replicas have a plugin version installed to activate it: a version fewer than
 * n − f replicas can serve would leave every request that needs it to the faulty ones' mercy (or
 * time it out). Read from {@code GET /api/v1/subnet}, which lists each replica's installed plugins.
 */
final class PluginReadiness {
    private PluginReadiness() {
    }

    /** True if at least n − f replicas list {@code name@version}; else false, and why on stderr. */
    static boolean ready(JsonNode subnet, String name, String version, String who) {
        String wanted = name + "@" + version;
        JsonNode replicas = subnet.path("replicas");
        List<String> have = new ArrayList<>();
        List<String> lack = new ArrayList<>();
        boolean reported = false;
        for (JsonNode r : replicas) {
            JsonNode installed = r.path("installed_plugins");
            reported |= installed.isArray();
            boolean has = false;
            for (JsonNode e : installed) {
                has |= wanted.equals(e.asText());
            }
            (has ? have : lack).add(r.path("index").asText());
        }
        int n = replicas.size();
        int needed = n - (n - 1) / 3;
        if (!reported) {
            System.err.println(who + ": the gateway reports no replica's installed plugins; cannot check that " + wanted
                    + " is installed widely enough (--force to enable it anyway)");
            return false;
        }
        if (have.size() < needed) {
            System.err.println(who + ": " + wanted + " is installed on " + have.size() + " of " + n + " replicas "
                    + (have.isEmpty() ? "" : "(" + String.join(", ", have) + ") ") + "and missing on replicas "
                    + String.join(", ", lack) + "; n - f = " + needed + " must have it before it is enabled. "
                    + "Install it there first, or use --force.");
            return false;
        }
        return true;
    }
}
