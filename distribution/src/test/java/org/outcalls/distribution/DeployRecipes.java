package org.outcalls.distribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the shipped systemd unit and container recipe the way systemd and a container engine do, enough to check them. */
final class DeployRecipes {
    private DeployRecipes() {
    }

    /** A unit file: section → key → values (a key may repeat), continuation lines joined, comments dropped. */
    static Map<String, Map<String, List<String>>> unit(Path file) throws IOException {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        for (String line : joined(Files.readAllLines(file))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[") && l.endsWith("]")) {
                section = out.computeIfAbsent(l.substring(1, l.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = l.indexOf('=');
            if (section == null || eq < 1) {
                throw new IllegalArgumentException(file + ": not a unit file line: " + l);
            }
            section.computeIfAbsent(l.substring(0, eq).strip(), k -> new ArrayList<>()).add(l.substring(eq + 1).strip());
        }
        return out;
    }

    /** Dockerfile instructions in order: keyword (upper case) and its argument text, continuation lines joined. */
    static List<String[]> dockerfile(Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : joined(Files.readAllLines(file))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+", 2);
            out.add(new String[] {parts[0].toUpperCase(java.util.Locale.ROOT), parts.length > 1 ? parts[1] : ""});
        }
        return out;
    }

    /** The argument of the last instruction with this keyword, or null. */
    static String last(List<String[]> instructions, String keyword) {
        String found = null;
        for (String[] i : instructions) {
            if (i[0].equals(keyword)) {
                found = i[1];
            }
        }
        return found;
    }

    /** An exec-form ({@code ["a", "b"]}) argument as its words. */
    static List<String> execForm(String json) throws IOException {
        return List.of(new ObjectMapper().readValue(json, String[].class));
    }

    private static List<String> joined(List<String> lines) {
        List<String> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : lines) {
            boolean comment = line.strip().startsWith("#") && pending.length() == 0;
            if (!comment && line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            out.add(pending + line);
            pending.setLength(0);
        }
        if (pending.length() > 0) {
            out.add(pending.toString());
        }
        return out;
    }
}
