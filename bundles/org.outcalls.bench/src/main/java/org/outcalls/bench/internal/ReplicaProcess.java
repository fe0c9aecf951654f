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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark replica in a child JVM ({@link ReplicaMain}), and the commands the benchmark sends it.
 * A reader thread hands each {@code D} line (a result its canister was handed) to the
 * {@link Deliveries} at once, and queues the answers to commands.
 */
final class ReplicaProcess implements AutoCloseable {
    private static final long ANSWER_SECONDS = 120;

    private final Process process;
    private final PrintStream in;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private ReplicaProcess(Process process) {
        this.process = process;
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts replica JVM with this configuration, its log to {@code log}; {@link #awaitReady} waits for it. */
    static ReplicaProcess start(String classPath, Path config, Path originCa, Path log, Deliveries deliveries)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms384m", "-Xmx384m", "-XX:+UseG1GC"));
        command.addAll(logging(log.getParent()));
        command.addAll(List.of("-cp", classPath, ReplicaMain.class.getName(), config.toString(), originCa.toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
        ReplicaProcess r = new ReplicaProcess(p);
        Thread reader = new Thread(() -> r.read(deliveries), "bench-replica-reader");
        reader.setDaemon(true);
        reader.start();
        return r;
    }

    /** The benchmark JVM's logging, each replica into its own folder; none without a logging configuration. */
    private static List<String> logging(Path dir) {
        String config = System.getProperty("logback.configurationFile");
        if (config == null) {
            return List.of("-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider");
        }
        List<String> options = new ArrayList<>(List.of("-Dlogback.configurationFile=" + config, "-Doutcalls.logs=" + dir));
        for (String p : new String[] {"outcalls.console.level", "outcalls.file.level", "vertx.logger-delegate-factory-class-name"}) {
            String v = System.getProperty(p);
            if (v != null) {
                options.add("-D" + p + "=" + v);
            }
        }
        return options;
    }

    private void read(Deliveries deliveries) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("D ")) {
                    String[] d = line.split(" ", 4);
                    deliveries.delivered(Long.parseLong(d[1]), d[2].equals("ok") ? null : d.length > 3 ? d[3] : d[2],
                            d[2].equals("busy"));
                } else {
                    answers.add(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            answers.add("error " + e);
        }
        answers.add("ended");
    }

    void awaitReady() throws IOException, InterruptedException {
        String line = answer();
        if (!line.startsWith("READY ")) {
            throw new IOException("a replica JVM did not start (it said: " + line + ")");
        }
    }

    /** Sends a command; its answer comes with {@link #answer}. */
    void send(String command) {
        in.println(command);
    }

    /** The next answer to a command. */
    String answer() throws IOException, InterruptedException {
        String a = answers.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
        if (a == null || a.equals("ended") || a.startsWith("error ")) {
            throw new IOException("the replica JVM " + (a == null ? "did not answer in time" : a.equals("ended")
                    ? "ended" : "failed: " + a));
        }
        return a;
    }

    synchronized String command(String command) throws IOException, InterruptedException {
        send(command);
        return answer();
    }

    /** CPU time the replica's process has used so far, in nanoseconds (0 if the platform does not say). */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    @Override
    public void close() {
        in.println("q");
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
