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
                           double heap, Row.Overload... overloads) {
        return new Row(target, transport, n, 64, perSecond, 20, p50, p99, perSecond / 2, p50 * 2, p99 * 2, cpu, 30,
                n == 1 ? Double.NaN : perSecond / 10, 100, heap, 0, 0, List.of(overloads), cpu * 4,
                n == 1 ? NO_SIGNATURES : new Row.Signatures(n / 4.0, n), n == 1 ? NO_SIGNATURES : new Row.Signatures(2 * n, 5 * n));
    }

    private static final Row.Signatures NO_SIGNATURES = new Row.Signatures(Double.NaN, Double.NaN);
    private static final Ed25519Speed SPEED = new Ed25519Speed(40, 100);

    private static Row.Overload[] overloads(double at4, double at16) {
        return new Row.Overload[] {new Row.Overload(4, 256, at4, 900, 0.5), new Row.Overload(16, 1024, at16, 950, 0.9)};
    }

    private Report report() {
        BenchSettings settings = BenchSettings.of(Map.of("out", dir.toString()));
        Machine m = new Machine(2, "test CPU", 1L << 34, "Java 17", "Linux", 1L << 31, java.time.Instant.EPOCH, 0.5, 0.7);
        return new Report(m, SPEED, settings, List.of(
                row("direct fetch", "direct fetch", 1, 40_000, 0.8, 3, 100, 2_000),
                row("in-JVM n=4", "in-JVM", 4, 2_500, 4, 40, 1_000, 4 * 10_000, overloads(2_400, 2_300)),
                row("in-JVM n=7", "in-JVM", 7, 1_400, 5, 45, 1_750, 7 * 12_000, overloads(1_300, 1_200)),
                row("in-JVM n=13", "in-JVM", 13, 800, 6, 60, 3_250, 13 * 17_000, overloads(760, 740)),
                row("TCP+TLS n=4", "TCP+TLS", 4, 2_000, 5, 45, 1_200, 4 * 11_000, overloads(1_900, 1_900)),
                row("hosts n=4", "hosts", 4, 2_000, 5, 45, 1_400, 4 * 12_000, overloads(1_900, 1_800))));
    }

    @Test
    void ratiosAndTargetsFollowTheIssue() {
        Report r = report();
        assertEquals(2_500 / (40_000 / 4.0), r.throughputRatio(r.inJvm(4).orElseThrow()), 1e-9);
        assertEquals(1_000 / (100 * 4.0), r.cpuRatio(r.inJvm(4).orElseThrow()), 1e-9);
        assertEquals(1.0, r.cpuFit().b(), 1e-9, "CPU 250 µs per replica: linear");
        List<Report.Target> t = r.targets();
        assertEquals(12, t.size());
        assertEquals(Boolean.TRUE, t.get(0).met(), t.get(0).toString());    // n = 4: 2500 ≥ 25% of 10000
        assertEquals(Boolean.FALSE, t.get(1).met(), t.get(1).toString());   // n = 7: 1400 < 25% of 5714
        assertEquals(Boolean.TRUE, t.get(2).met(), t.get(2).toString());    // n = 13: 800 ≥ 25% of 3077
        assertEquals(Boolean.TRUE, t.get(3).met(), t.get(3).toString());    // n = 4: 96%, 92%
        assertEquals(Boolean.FALSE, t.get(4).met(), t.get(4).toString());   // n = 7: 93%, 86%
        assertTrue(t.get(4).measured().contains("16×: 86%"), t.get(4).measured());
        assertEquals(Boolean.TRUE, t.get(5).met(), t.get(5).toString());    // n = 13: 95%, 93%
        assertEquals(Boolean.TRUE, t.get(6).met(), t.get(6).toString());    // 250 µs per replica at n = 4 and 13
        assertEquals(Boolean.TRUE, t.get(7).met(), t.get(7).toString());    // hosts 2000 = 80% of 2500
        assertEquals(Boolean.TRUE, t.get(8).met());                          // p50 4 ms
        assertEquals(Boolean.TRUE, t.get(9).met());                          // n = 13 p50 6 ms
        assertEquals(Boolean.TRUE, t.get(10).met());                         // p99 40 ms
        assertEquals(Boolean.FALSE, t.get(11).met(), "17,000 B per replica at n = 13 is over 16 KiB");
        assertTrue(r.complete());
        String s = r.summary();
        assertTrue(s.contains("[NOT met] ≤ 16 KiB heap"), s);
        assertTrue(s.contains("CPU per outcall ≈ 250.0 µs · n^1.00"), s);
        assertTrue(s.contains("16× (1,024 in flight): 1,200/s = 86% of peak, 950 refused/s (90% of attempts)"), s);
        assertTrue(s.contains("signs in 40.0 µs and checks in 100.0 µs"), s);
        assertTrue(s.contains("in-JVM n=4     at saturation 1.0 made + 4.0 checked ≈ 440 µs (44% of 1,000 µs CPU); "
                + "light load 8.0 made + 20.0 checked ≈ 2,320 µs (58% of 4,000 µs CPU)"), s);
    }

    @Test
    void withoutTheHostsTargetItsTargetIsNotMeasured() {
        Report full = report();
        List<Row> rows = full.rows().subList(0, 5);
        Report r = new Report(Machine.now(), SPEED, BenchSettings.of(Map.of("out", dir.toString())), rows);
        assertEquals(null, r.targets().get(7).met(), r.targets().get(7).toString());
    }

    @Test
    void writesCsvChartAndSummary() throws Exception {
        report().write(dir);
        List<String> csv = Files.readAllLines(dir.resolve(Report.CSV));
        assertEquals(7, csv.size());
        assertTrue(csv.get(0).startsWith("target,transport,replicas,"));
        int columns = csv.get(0).split(",", -1).length;
        for (String line : csv) {
            assertEquals(columns, line.split(",", -1).length, line);
        }
        assertTrue(csv.get(2).startsWith("in-JVM n=4,in-JVM,4,1,64,2500.0,0.2500,"), csv.get(2));
        assertTrue(csv.get(2).contains(",250.0,10.0,"), "blocks per second and outcalls per block: " + csv.get(2));
        assertTrue(csv.get(2).endsWith(",250.0,256,2400.0,0.9600,900.0,0.5000,1024,2300.0,0.9200,950.0,0.9000"
                + ",40.00,100.00,1.00,4.00,4000.0,8.00,20.00"), "CPU per replica, the overload phases, the signature work: " + csv.get(2));
        assertTrue(csv.get(1).endsWith(",100.0,,,,,,,,,,,40.00,100.00,,,400.0,,"),
                "the direct fetch has no overload phase and signs nothing: " + csv.get(1));
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
                1, Double.NaN, Double.NaN, n4.cpuMicrosPerOutcall(), 1, 100, 1, Double.NaN, 0, 0, n4.overloads(),
                n4.lightCpuMicrosPerOutcall(), n4.saturationSignatures(), n4.lightSignatures()));
        BenchSettings settings = BenchSettings.of(Map.of("out", dir.toString()));
        assertFalse(new Report(Machine.now(), SPEED, settings, rows).complete());
        List<Row> noOverload = new java.util.ArrayList<>(r.rows());
        noOverload.set(1, new Row(n4.target(), n4.transport(), 4, 64, n4.saturationPerSecond(), 20, 4, 40, 1, 8, 80,
                n4.cpuMicrosPerOutcall(), 1, 100, 1, 1000, 0, 0, List.of(), n4.lightCpuMicrosPerOutcall(),
                n4.saturationSignatures(), n4.lightSignatures()));
        assertFalse(new Report(Machine.now(), SPEED, settings, noOverload).complete(), "a subnet without its overload phases");
        List<Row> noSignatures = new java.util.ArrayList<>(r.rows());
        noSignatures.set(1, new Row(n4.target(), n4.transport(), 4, 64, n4.saturationPerSecond(), 20, 4, 40, 1, 8, 80,
                n4.cpuMicrosPerOutcall(), 1, 100, 1, 1000, 0, 0, n4.overloads(), n4.lightCpuMicrosPerOutcall(),
                NO_SIGNATURES, NO_SIGNATURES));
        assertFalse(new Report(Machine.now(), SPEED, settings, noSignatures).complete(), "a subnet without its signature work");
    }

    @Test
    void aSubnetInOneJvmThatChecksNoSignatureOnTheCurveIsComplete() {
        Report r = report();
        List<Row> rows = new java.util.ArrayList<>(r.rows());
        Row n4 = rows.get(1);
        rows.set(1, new Row(n4.target(), n4.transport(), 4, 64, n4.saturationPerSecond(), 20, 4, 40, 1, 8, 80,
                n4.cpuMicrosPerOutcall(), 1, 100, 1, 1000, 0, 0, n4.overloads(), n4.lightCpuMicrosPerOutcall(),
                new Row.Signatures(0.2, 0), new Row.Signatures(22, 0)));
        BenchSettings settings = BenchSettings.of(Map.of("out", dir.toString()));
        assertTrue(new Report(Machine.now(), SPEED, settings, rows).complete(), "no check on the curve, signatures made");
        rows.set(1, new Row(n4.target(), n4.transport(), 4, 64, n4.saturationPerSecond(), 20, 4, 40, 1, 8, 80,
                n4.cpuMicrosPerOutcall(), 1, 100, 1, 1000, 0, 0, n4.overloads(), n4.lightCpuMicrosPerOutcall(),
                new Row.Signatures(0, 0), new Row.Signatures(22, 0)));
        assertFalse(new Report(Machine.now(), SPEED, settings, rows).complete(), "a subnet that made no signature");

        Row hosts = new Row("hosts n=4", "hosts", 4, 64, 300, 20, 4, 40, 1, 8, 80, 5_000, 1, 100, 1, 1000, 0, 0,
                n4.overloads(), n4.lightCpuMicrosPerOutcall(), new Row.Signatures(1.5, 0), new Row.Signatures(21, 48));
        rows.set(1, hosts);
        assertFalse(new Report(Machine.now(), SPEED, settings, rows).complete(),
                "replicas in JVMs of their own that checked none of each other's signatures");
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
                () -> BenchSettings.of(Map.of("hosts", "4,seven")));
        assertTrue(e.getMessage().contains("--hosts"), e.getMessage());
        assertEquals(List.of(4, 7), BenchSettings.of(Map.of()).hosts(), "a full run: a JVM per replica at n = 4 and 7");
        assertEquals(List.of(4), BenchSettings.of(Map.of("quick", "true")).hosts(), "a smoke run: n = 4");
        assertEquals(List.of(), BenchSettings.of(Map.of("hosts", "none")).hosts());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchSettings.of(Map.of("replicas", "4")));
        assertTrue(e.getMessage().contains("unknown option 'replicas'"), e.getMessage());
    }
}
