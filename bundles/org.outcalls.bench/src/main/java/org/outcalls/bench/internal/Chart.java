package org.outcalls.bench.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The run's chart, drawn with Java2D and written by ImageIO: saturation throughput per target
 * (with baseline ÷ n and the 25% target), latency per target, and CPU per outcall against n on
 * log-log axes with the fitted power law. No charting library: three small panels do not justify
 * shipping one in the distribution.
 */
final class Chart {
    private static final int W = 1500;
    private static final int H = 600;
    private static final Color[] SERIES = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};
    private static final Color GRID = new Color(0xdddddd);

    private Chart() {
    }

    static void write(Report report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            int pw = W / 3;
            throughput(report, g, new Box(70, 50, pw - 100, H - 170));
            latency(report, g, new Box(pw + 70, 50, pw - 100, H - 170));
            cpu(report, g, new Box(2 * pw + 70, 50, pw - 100, H - 170));
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    private record Box(int x, int y, int w, int h) {
        int bottom() {
            return y + h;
        }
    }

    /** A log10 axis from the decade below min to the decade above max. */
    private record LogAxis(double lo, double hi) {
        static LogAxis of(List<Double> values) {
            double min = values.stream().filter(v -> v > 0 && Double.isFinite(v)).min(Double::compare).orElse(1.0);
            double max = values.stream().filter(v -> v > 0 && Double.isFinite(v)).max(Double::compare).orElse(10.0);
            double lo = Math.floor(Math.log10(min));
            double hi = Math.ceil(Math.log10(max));
            return new LogAxis(lo, hi == lo ? lo + 1 : hi);
        }

        double frac(double v) {
            return (Math.log10(Math.max(v, Math.pow(10, lo))) - lo) / (hi - lo);
        }
    }

    private static void throughput(Report report, Graphics2D g, Box box) {
        List<Row> rows = report.rows();
        Row base = report.baseline();
        List<Double> values = new ArrayList<>();
        rows.forEach(r -> values.add(r.saturationPerSecond()));
        rows.forEach(r -> values.add(base.saturationPerSecond() / r.replicas() * 0.25));
        LogAxis y = LogAxis.of(values);
        frame(g, box, "Throughput at saturation (per second, log)", y);
        int slot = box.w() / rows.size();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int x = box.x() + i * slot + slot / 5;
            int bw = slot * 3 / 5;
            bar(g, box, y, x, bw, r.saturationPerSecond(), SERIES[0]);
            if (r != base) {
                int top = box.bottom() - (int) (y.frac(base.saturationPerSecond() / r.replicas()) * box.h());
                int target = box.bottom() - (int) (y.frac(base.saturationPerSecond() / r.replicas() * 0.25) * box.h());
                g.setStroke(new BasicStroke(2f));
                g.setColor(Color.DARK_GRAY);
                g.drawLine(x - 4, top, x + bw + 4, top);
                g.setColor(SERIES[3]);
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
                g.drawLine(x - 4, target, x + bw + 4, target);
                g.setStroke(new BasicStroke(1f));
            }
            label(g, box, x + bw / 2, r.target());
        }
        legend(g, box, List.of("outcalls/s (fetches/s for the direct fetch)", "baseline ÷ n", "target: 25% of baseline ÷ n"),
                List.of(SERIES[0], Color.DARK_GRAY, SERIES[3]));
    }

    private static void latency(Report report, Graphics2D g, Box box) {
        List<Row> rows = report.rows();
        List<Double> values = new ArrayList<>();
        rows.forEach(r -> values.addAll(List.of(r.lightP50(), r.lightP99(), r.halfP50(), r.halfP99())));
        LogAxis y = LogAxis.of(values);
        frame(g, box, "End-to-end latency (ms, log)", y);
        int slot = box.w() / rows.size();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            double[] v = {r.lightP50(), r.lightP99(), r.halfP50(), r.halfP99()};
            int bw = slot * 4 / 5 / 4;
            int x0 = box.x() + i * slot + slot / 10;
            for (int k = 0; k < 4; k++) {
                bar(g, box, y, x0 + k * bw, bw - 1, v[k], SERIES[k]);
            }
            label(g, box, x0 + 2 * bw, r.target());
        }
        legend(g, box, List.of("p50, light load", "p99, light load", "p50, 50% of saturation", "p99, 50% of saturation"),
                List.of(SERIES));
    }

    private static void cpu(Report report, Graphics2D g, Box box) {
        List<Row> rows = report.rows();
        Row base = report.baseline();
        int maxN = rows.stream().mapToInt(Row::replicas).max().orElse(13);
        List<Double> values = new ArrayList<>();
        rows.forEach(r -> values.add(r.cpuMicrosPerOutcall()));
        values.add(base.cpuMicrosPerOutcall() * maxN);
        LogAxis y = LogAxis.of(values);
        LogAxis x = new LogAxis(0, Math.ceil(Math.log10(Math.max(10, maxN * 1.5)) * 2) / 2);
        frame(g, box, "CPU per outcall (µs) against n (log-log)", y);
        g.setFont(g.getFont().deriveFont(11f));
        g.setColor(Color.DARK_GRAY);
        for (int n : new int[] {1, 2, 4, 7, 13, 20, 40}) {
            if (Math.log10(n) <= x.hi()) {
                int px = box.x() + (int) (x.frac(n) * box.w());
                g.drawString(Integer.toString(n), px - 4, box.bottom() + 16);
            }
        }
        g.drawString("n (replicas)", box.x() + box.w() / 2 - 30, box.bottom() + 34);
        // n direct fetches: the cost without agreement
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        line(g, box, x, y, 1, base.cpuMicrosPerOutcall(), Math.pow(10, x.hi()), base.cpuMicrosPerOutcall() * Math.pow(10, x.hi()));
        Fit fit = report.cpuFit();
        if (!Double.isNaN(fit.b())) {
            g.setColor(SERIES[0]);
            g.setStroke(new BasicStroke(2f));
            line(g, box, x, y, 2, fit.at(2), Math.pow(10, x.hi()), fit.at(Math.pow(10, x.hi())));
        }
        g.setStroke(new BasicStroke(1f));
        for (Row r : rows) {
            int px = box.x() + (int) (x.frac(r.replicas()) * box.w());
            int py = box.bottom() - (int) (y.frac(r.cpuMicrosPerOutcall()) * box.h());
            g.setColor(r.transport().equals("TCP+TLS") ? SERIES[1] : r.transport().equals("hosts") ? SERIES[2]
                    : r.replicas() == 1 ? Color.DARK_GRAY : SERIES[0]);
            if (r.transport().equals("TCP+TLS")) {
                g.fillRect(px - 5, py - 5, 10, 10);
            } else if (r.transport().equals("hosts")) {
                g.fillPolygon(new int[] {px - 6, px, px + 6}, new int[] {py + 5, py - 6, py + 5}, 3);
            } else {
                g.fillOval(px - 5, py - 5, 10, 10);
            }
        }
        legend(g, box, List.of(Double.isNaN(fit.b()) ? "in-JVM subnets" : String.format(Locale.ROOT, "in-JVM, fit ∝ n^%.2f", fit.b()),
                        "n = 4 over TCP+TLS", "a JVM per replica over TCP+TLS", "direct fetch; dashed: n direct fetches"),
                List.of(SERIES[0], SERIES[1], SERIES[2], Color.DARK_GRAY));
    }

    private static void line(Graphics2D g, Box box, LogAxis x, LogAxis y, double x1, double y1, double x2, double y2) {
        g.setClip(box.x(), box.y(), box.w(), box.h());
        g.drawLine(box.x() + (int) (x.frac(x1) * box.w()), box.bottom() - (int) (y.frac(y1) * box.h()),
                box.x() + (int) (x.frac(x2) * box.w()), box.bottom() - (int) (y.frac(y2) * box.h()));
        g.setClip(null);
    }

    private static void frame(Graphics2D g, Box box, String title, LogAxis y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, box.x(), box.y() - 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double d = y.lo(); d <= y.hi() + 1e-9; d++) {
            int py = box.bottom() - (int) ((d - y.lo()) / (y.hi() - y.lo()) * box.h());
            g.setColor(GRID);
            g.drawLine(box.x(), py, box.x() + box.w(), py);
            g.setColor(Color.DARK_GRAY);
            String text = d >= 0 ? String.format(Locale.ROOT, "%,.0f", Math.pow(10, d)) : String.format(Locale.ROOT, "%s",
                    Math.pow(10, d));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(text, box.x() - 6 - fm.stringWidth(text), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(box.x(), box.y(), box.w(), box.h());
    }

    private static void bar(Graphics2D g, Box box, LogAxis y, int x, int w, double v, Color c) {
        if (!(v > 0) || !Double.isFinite(v)) {
            return;
        }
        int top = box.bottom() - (int) (y.frac(v) * box.h());
        g.setColor(c);
        g.fillRect(x, top, Math.max(1, w), box.bottom() - top);
    }

    private static void label(Graphics2D g, Box box, int cx, String text) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        AffineTransform saved = g.getTransform();
        g.translate(cx + 4, box.bottom() + 8);
        g.rotate(Math.toRadians(40));
        g.drawString(text, 0, 0);
        g.setTransform(saved);
    }

    private static void legend(Graphics2D g, Box box, List<String> names, List<Color> colors) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int y = box.bottom() + 80;
        for (int i = 0; i < names.size(); i++) {
            g.setColor(colors.get(i));
            g.fillRect(box.x(), y + i * 15 - 9, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(names.get(i), box.x() + 16, y + i * 15);
        }
    }
}
