package org.outcalls.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path dir;

    private static Row row(String target, String transport, int n, double perSecond, double p50, double p99, double cpu,
                           double heap) {
        return new Row(target, transport, n, 64, perSecond, 20, p50, p99, perSecond / 2, p50 * 2, p99 * 2, cpu, 30,
                n == 1 ? Double.NaN : perSecond / 10, 100, heap, 0, 0);
    }

    private Report report() {
        BenchSettings settings = BenchSettings.of(Map.of("out", dir.toString()));
        Machine m = new Machine(2, "test CPU", 1L << 34, "Java 17", "Linux", 1L << 31, java.time.Instant.EPOCH, 0.5, 0.7);
        return new Report(m, settings, List.of(
                row("direct fetch", "direct fetch", 1, 40_000, 0.8, 3, 100, 2_000),
                row("in-JVM n=4", "in-JVM", 4, 2_500, 4, 40, 1_000, 4 * 10_000),
                row("in-JVM n=7", "in-JVM", 7, 1_400, 5, 45, 1_750, 7 * 12_000),
                row("in-JVM n=13", "in-JVM", 13, 800, 6, 60, 3_250, 13 * 17_000),
                row("TCP+TLS n=4", "TCP+TLS", 4, 2_000, 5, 45, 1_200, 4 * 11_000)));
    }

    @Test
    void ratiosAndTargetsFollowTheIssue() {
        Report r = report();
        assertEquals(2_500 / (40_000 / 4.0), r.throughputRatio(r.inJvm(4).orElseThrow()), 1e-9);
        assertEquals(1_000 / (100 * 4.0), r.cpuRatio(r.inJvm(4).orElseThrow()), 1e-9);
        assertEquals(1.0, r.cpuFit().b(), 1e-9, "CPU 250 µs per replica: linear");
        List<Report.Target> t = r.targets();
        assertEquals(6, t.size());
        assertEquals(Boolean.TRUE, t.get(0).met(), t.get(0).toString());   // 2500 ≥ 25% of 10000
        assertEquals(Boolean.TRUE, t.get(1).met(), t.get(1).toString());   // 800 ≥ 25% of 3077
        assertEquals(Boolean.TRUE, t.get(2).met());                         // p50 4 ms
        assertEquals(Boolean.TRUE, t.get(3).met());                         // p99 40 ms
        assertEquals(Boolean.TRUE, t.get(4).met());                         // n^1.00
        assertEquals(Boolean.FALSE, t.get(5).met(), "17,000 B per replica at n = 13 is over 16 KiB");
        assertTrue(r.complete());
        String s = r.summary();
        assertTrue(s.contains("[NOT met] ≤ 16 KiB heap"), s);
        assertTrue(s.contains("CPU per outcall ≈ 250.0 µs · n^1.00"), s);
    }

    @Test
    void writesCsvChartAndSummary() throws Exception {
        report().write(dir);
        List<String> csv = Files.readAllLines(dir.resolve(Report.CSV));
        assertEquals(6, csv.size());
        assertTrue(csv.get(0).startsWith("target,transport,replicas,"));
        int columns = csv.get(0).split(",", -1).length;
        for (String line : csv) {
            assertEquals(columns, line.split(",", -1).length, line);
        }
        assertTrue(csv.get(2).startsWith("in-JVM n=4,in-JVM,4,1,64,2500.0,0.2500,"), csv.get(2));
        assertTrue(csv.get(2).contains(",250.0,10.0,"), "blocks per second and outcalls per block: " + csv.get(2));
        BufferedImage png = ImageIO.read(dir.resolve(Report.PNG).toFile());
        assertNotNull(png);
        assertEquals(1500, png.getWidth());
        assertTrue(Files.readString(dir.resolve(Report.SUMMARY)).contains("targets:"));
    }

    @Test
    void aMissingFigureMakesTheRunIncomplete() {
        Report r = report();
        List<Row> rows = new java.util.ArrayList<>(r.rows());
        Row n4 = rows.get(1);
        rows.set(1, new Row(n4.target(), n4.transport(), 4, 64, n4.saturationPerSecond(), 20, Double.NaN, Double.NaN,
                1, Double.NaN, Double.NaN, n4.cpuMicrosPerOutcall(), 1, 100, 1, Double.NaN, 0, 0));
        BenchSettings settings = BenchSettings.of(Map.of("out", dir.toString()));
        assertFalse(new Report(Machine.now(), settings, rows).complete());
    }

    @Test
    void badOptionsNameTheOption() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchSettings.of(Map.of("sizes", "4,x")));
        assertTrue(e.getMessage().contains("--sizes"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchSettings.of(Map.of("sizes", "0")));
        assertTrue(e.getMessage().contains("1..100"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchSettings.of(Map.of("replicas", "4")));
        assertTrue(e.getMessage().contains("unknown option 'replicas'"), e.getMessage());
    }
}
