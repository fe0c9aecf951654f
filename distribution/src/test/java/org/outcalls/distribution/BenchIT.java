package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outcalls bench --quick} from the distribution, once: it measures every target and writes
 * numbers. How fast anything is, is not asserted here (that is what the benchmark is for).
 */
class BenchIT {
    private static final List<String> TARGETS = List.of("direct fetch", "in-JVM n=4", "in-JVM n=7", "in-JVM n=13",
            "TCP+TLS n=4", "hosts n=4");
    /** Columns that must hold a positive number in every row. */
    private static final List<String> MEASURED = List.of("saturation_per_s", "light_p50_ms", "light_p99_ms", "half_rate_per_s",
            "half_p50_ms", "half_p99_ms", "cpu_us_per_outcall", "cpu_us_per_outcall_per_replica",
            "heap_bytes_per_inflight_outcall");
    /** Columns that must hold a number (0 included) in every subnet's row: the overload phases. */
    private static final List<String> OVERLOAD = List.of("overload_4x_per_s", "overload_4x_vs_peak", "overload_4x_refused_per_s",
            "overload_4x_refused_share", "overload_16x_per_s", "overload_16x_vs_peak", "overload_16x_refused_per_s",
            "overload_16x_refused_share");

    @TempDir
    Path temp;

    @Test
    void quickRunMeasuresEveryTargetAndWritesCsvChartAndSummary() throws Exception {
        Path out = temp.resolve("bench results");
        OutcallsProcess.Result r = OutcallsProcess.run(Dist.home(), temp, Duration.ofMinutes(4), "bench", "--quick", "--out",
                out.toString());
        assertEquals(0, r.exitCode(), "exit code; stdout: " + r.stdout() + "; stderr: " + r.stderr());

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        List<String> header = Arrays.asList(csv.get(0).split(",", -1));
        assertEquals(TARGETS.size() + 1, csv.size(), "one row per target: " + csv);
        for (int i = 0; i < TARGETS.size(); i++) {
            String[] row = csv.get(i + 1).split(",", -1);
            assertEquals(header.size(), row.length, csv.get(i + 1));
            assertEquals(TARGETS.get(i), row[0]);
            for (String column : MEASURED) {
                String value = row[header.indexOf(column)];
                assertTrue(Double.parseDouble(value) > 0, column + " of " + row[0] + " is " + value);
            }
            for (String column : i == 0 ? List.<String>of() : OVERLOAD) {
                String value = row[header.indexOf(column)];
                assertTrue(Double.parseDouble(value) >= 0, column + " of " + row[0] + " is " + value);
            }
            assertEquals("0", row[header.indexOf("rejects")], "outcalls that ended in a reject for " + row[0]);
        }
        BufferedImage png = ImageIO.read(out.resolve("results.png").toFile());
        assertNotNull(png, "results.png is a PNG");
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("targets:"), summary);
        assertFalse(summary.contains("[not measured]"), summary);
        assertTrue(r.stdout().contains("CPU per outcall ≈"), r.stdout());
        assertTrue(summary.contains("sustained overload"), summary);
    }
}
