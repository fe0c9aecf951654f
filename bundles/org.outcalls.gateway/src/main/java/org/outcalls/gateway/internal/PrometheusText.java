package org.outcalls.gateway.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.outcalls.replica.Diagnostics;

/**
 * The Prometheus text exposition format (version 0.0.4), written by hand: the values come from one
 * diagnostics snapshot per scrape, so a client library's registry and instrumentation add nothing,
 * and the Java client's 1.x jars do not resolve in OSGi as shipped (see the gateway README).
 * Each family is written once: HELP, TYPE, then its samples.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final StringBuilder out = new StringBuilder(8192);
    private String family;

    /** Starts a metric family. */
    PrometheusText family(String name, String type, String help) {
        family = name;
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample of the current family (or of a suffixed name, for histograms). */
    PrometheusText sample(String suffix, Map<String, String> labels, double value) {
        out.append(family).append(suffix);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    PrometheusText sample(Map<String, String> labels, double value) {
        return sample("", labels, value);
    }

    PrometheusText sample(double value) {
        return sample("", Map.of(), value);
    }

    /** A whole histogram family from a snapshot. */
    PrometheusText histogram(String name, String help, Diagnostics.Histogram h) {
        family(name, "histogram", help);
        List<Double> bounds = h.upperBounds();
        for (int i = 0; i < bounds.size(); i++) {
            sample("_bucket", Map.of("le", number(bounds.get(i))), h.cumulative().get(i));
        }
        sample("_bucket", Map.of("le", "+Inf"), h.count());
        sample("_sum", Map.of(), h.sum());
        sample("_count", Map.of(), h.count());
        return this;
    }

    static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
