package org.outcalls.gateway.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the Prometheus text format (0.0.4), for tests: every line must parse. */
final class PrometheusParser {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .+");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"(,|$)");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusParser parse(String text) {
        PrometheusParser p = new PrometheusParser();
        String family = null;
        Set<String> seen = new HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                if (!HELP.matcher(line).matches()) {
                    throw new AssertionError("line " + n + ": bad HELP: " + line);
                }
                continue;
            }
            Matcher t = TYPE.matcher(line);
            if (t.matches()) {
                family = t.group(1);
                if (p.types.put(family, t.group(2)) != null) {
                    throw new AssertionError("line " + n + ": family " + family + " typed twice");
                }
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            if (!s.matches()) {
                throw new AssertionError("line " + n + ": not a sample: " + line);
            }
            String name = s.group(1);
            String type = p.types.get(family);
            boolean belongs = name.equals(family) || "histogram".equals(type)
                    && (name.equals(family + "_bucket") || name.equals(family + "_sum") || name.equals(family + "_count"));
            if (family == null || !belongs) {
                throw new AssertionError("line " + n + ": sample " + name + " outside its family " + family);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (s.group(2) != null && !s.group(2).isEmpty()) {
                Matcher l = LABEL.matcher(s.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                if (end != s.group(2).length()) {
                    throw new AssertionError("line " + n + ": bad labels: " + line);
                }
            }
            if (!seen.add(name + labels)) {
                throw new AssertionError("line " + n + ": duplicate series " + name + labels);
            }
            p.samples.add(new Sample(name, labels, value(s.group(3), n)));
        }
        return p;
    }

    private static double value(String v, int line) {
        switch (v) {
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            case "NaN": return Double.NaN;
            default:
                try {
                    return Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new AssertionError("line " + line + ": bad value " + v);
                }
        }
    }

    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels)).value();
    }
}
