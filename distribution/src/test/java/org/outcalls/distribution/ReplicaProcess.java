package org.outcalls.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** {@code bin/outcalls replica --config FILE} as a real process (JAVA_OPTS settable, for crash points). */
final class ReplicaProcess implements AutoCloseable {
    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();

    private ReplicaProcess(Process p) {
        this.process = p;
        pump(p.getInputStream());
        pump(p.getErrorStream());
    }

    static ReplicaProcess start(Path home, Path config, String javaOpts, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(command(home, config));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(config.getParent().toFile());
        pb.environment().put("JAVA_OPTS", javaOpts == null ? "-Xmx256m" : "-Xmx256m " + javaOpts);
        return new ReplicaProcess(pb.start());
    }

    /** {@code <home>/bin/outcalls replica --config FILE}: what the systemd unit and the container run too. */
    static List<String> command(Path home, Path config) {
        return List.of(home.resolve("bin").resolve("outcalls").toString(), "replica", "--config", config.toString());
    }

    /** The ready line, or an error with the output if the process ended or took too long. */
    String awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String l : out) {
                if (l.startsWith("outcalls ready in ")) {
                    return l;
                }
            }
            if (!process.isAlive()) {
                Thread.sleep(200);
                throw new AssertionError("replica exited with " + process.exitValue() + " before it was ready: " + out);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("replica not ready within " + timeout + ": " + out);
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("replica did not exit within " + timeout + ": " + out);
        }
        return process.exitValue();
    }

    /** SIGKILL: the JVM gets no chance to do anything. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for the clean stop. */
    int stop() throws InterruptedException {
        process.destroy();
        return awaitExit(Duration.ofSeconds(60));
    }

    boolean alive() {
        return process.isAlive();
    }

    List<String> output() {
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }

    private void pump(java.io.InputStream in) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "replica-process-output");
        t.setDaemon(true);
        t.start();
    }
}
