package org.outcalls.bench.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The origin ({@link OriginMain}) in a child JVM, and the commands the benchmark sends it. */
final class OriginProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    private final int port;
    private final Path caPem;

    private OriginProcess(Process process, BufferedReader out, PrintStream in, int port, Path caPem) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.port = port;
        this.caPem = caPem;
    }

    /** Starts the origin on a JVM with this class path (its log to {@code log}) and waits until it listens. */
    static OriginProcess start(String classPath, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx512m", "-XX:+UseParallelGC",
                "-Dvertx.disableDnsResolver=true",
                // a fixture: its libraries' logging is not wanted (the JVM's own errors still reach the log file)
                "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider", "-cp", classPath, OriginMain.class.getName()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintStream in = new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8);
        String line = out.readLine();
        if (line == null || !line.startsWith("ORIGIN ")) {
            p.destroyForcibly();
            throw new IOException("the origin process did not start (it said: " + line + "; see " + log + ")");
        }
        String[] parts = line.split(" ", 3);
        return new OriginProcess(p, out, in, Integer.parseInt(parts[1]), Path.of(parts[2]));
    }

    String url(String pathAndQuery) {
        return "https://localhost:" + port + pathAndQuery;
    }

    Path caPem() {
        return caPem;
    }

    /** Answers every held request and every later one until {@link #hold}; returns how many were held. */
    synchronized int release() throws IOException {
        return Integer.parseInt(command("release"));
    }

    /** Holds {@code /hold} requests again (after {@link #release}). */
    synchronized void hold() throws IOException {
        command("hold");
    }

    /** Requests received so far, requests held now, and connections accepted so far. */
    synchronized long[] stats() throws IOException {
        String[] s = command("stats").split(" ");
        return new long[] {Long.parseLong(s[0]), Long.parseLong(s[1]), Long.parseLong(s[2])};
    }

    /** CPU time the origin process has used so far, in nanoseconds (0 if the platform does not say). */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private String command(String c) throws IOException {
        in.println(c);
        String answer = out.readLine();
        if (answer == null) {
            throw new IOException("the origin process ended");
        }
        return answer;
    }

    @Override
    public void close() {
        in.println("quit");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
