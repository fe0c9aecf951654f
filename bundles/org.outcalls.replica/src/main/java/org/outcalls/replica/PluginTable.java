package org.outcalls.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The plugins of a subnet as a table — per plugin, the version the registry enables and each
 * installed version with the replicas that have it — read from a status document ({@code GET
 * /api/v1/subnet}). What {@code outcalls plugins} and the Gogo shell print.
 */
public final class PluginTable {
    private PluginTable() {
    }

    /** One row per plugin name, sorted. */
    public record Row(String name, String enabled, Map<String, List<Integer>> installedOn) {
    }

    /** From the document as maps (as a client parses {@code GET /api/v1/subnet}). */
    public static List<Row> of(Map<String, Object> status) {
        Map<String, String> enabled = new TreeMap<>();
        if (status.get("enabled_plugins") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> enabled.put(String.valueOf(k), String.valueOf(v)));
        }
        Map<Integer, List<?>> installedBy = new TreeMap<>();
        if (status.get("replicas") instanceof List<?> rows) {
            for (Object o : rows) {
                if (o instanceof Map<?, ?> row && row.get("installed_plugins") instanceof List<?> list) {
                    installedBy.put(((Number) row.get("index")).intValue(), list);
                }
            }
        }
        return of(enabled, installedBy);
    }

    /** From the document as a node gives it. */
    public static List<Row> of(SubnetStatus status) {
        Map<Integer, List<?>> installedBy = new TreeMap<>();
        for (SubnetStatus.ReplicaRow row : status.replicas()) {
            if (row.installedPlugins() != null) {
                installedBy.put(row.index(), row.installedPlugins());
            }
        }
        return of(status.enabledPlugins(), installedBy);
    }

    /** {@code installedBy}: replica index to what it has installed, as {@code name@version}. */
    private static List<Row> of(Map<String, String> enabled, Map<Integer, List<?>> installedBy) {
        Map<String, Map<String, List<Integer>>> installed = new TreeMap<>();
        installedBy.forEach((index, list) -> {
            for (Object entry : list) {
                String e = String.valueOf(entry);
                int at = e.lastIndexOf('@');
                if (at > 0) {
                    installed.computeIfAbsent(e.substring(0, at), k -> new TreeMap<>())
                            .computeIfAbsent(e.substring(at + 1), k -> new ArrayList<>()).add(index);
                }
            }
        });
        TreeSet<String> names = new TreeSet<>(enabled.keySet());
        names.addAll(installed.keySet());
        List<Row> out = new ArrayList<>();
        for (String name : names) {
            out.add(new Row(name, enabled.getOrDefault(name, ""), installed.getOrDefault(name, Map.of())));
        }
        return out;
    }

    /** The table as text: plugin, enabled version (or -), then every installed version with its replicas. */
    public static String render(List<Row> rows) {
        StringBuilder b = new StringBuilder(String.format("%-16s %-10s %s%n", "plugin", "enabled", "installed (replicas)"));
        for (Row r : rows) {
            List<String> cells = new ArrayList<>();
            r.installedOn().forEach((version, replicas) -> cells.add(version + " " + replicas));
            b.append(String.format("%-16s %-10s %s%n", r.name(), r.enabled().isEmpty() ? "-" : r.enabled(),
                    cells.isEmpty() ? "(none reported)" : String.join("  ", cells)));
        }
        return b.toString().stripTrailing();
    }
}
