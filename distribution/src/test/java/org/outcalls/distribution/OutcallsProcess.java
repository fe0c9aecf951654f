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
import java.util.function.Predicate;

/** {@code bin/outcalls} run as a real process, with its output captured line by line. */
final class OutcallsProcess implements AutoCloseable {
    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    private OutcallsProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), stdout);
        pump(process.getErrorStream(), stderr);
    }

    static OutcallsProcess start(Path home, Path workingDir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve("outcalls").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile());
        pb.environment().remove("JAVA_OPTS");
        // identities made by `run` and `call` go to a folder of this test run, never the user's config folder
        pb.environment().put("OUTCALLS_CONFIG", config().toString());
        return new OutcallsProcess(pb.start());
    }

    private static Path config;

    /** The caller identities' folder every process of this test JVM shares ({@code OUTCALLS_CONFIG}). */
    static synchronized Path config() throws IOException {
        if (config == null) {
            config = java.nio.file.Files.createTempDirectory(Dist.target(), "it-config");
        }
        return config;
    }

    /** The line `run` or `call` prints on stderr once, when it makes the identity `default`. */
    static boolean isIdentityNotice(String line) {
        return line.startsWith("outcalls: created identity 'default'");
    }

    /** Runs to completion and returns the exit code. */
    static Result run(Path home, Path workingDir, Duration timeout, String... args) throws Exception {
        try (OutcallsProcess p = start(home, workingDir, args)) {
            int code = p.awaitExit(timeout);
            return new Result(code, String.join("\n", p.stdout), String.join("\n", p.stderr));
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    /** Waits for a line on standard output that matches. */
    String awaitStdout(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : stdout) {
                if (match.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                Thread.sleep(200);
                throw new AssertionError("process exited with " + process.exitValue() + " before the expected line;"
                        + " stdout: " + stdout + "; stderr: " + stderr);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching line within " + timeout + "; stdout: " + stdout + "; stderr: " + stderr);
    }

    /** Sends SIGTERM. */
    void terminate() {
        process.destroy();
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not exit within " + timeout + "; stderr: " + stderr);
        }
        // let the pumps drain the last lines
        Thread.sleep(100);
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    List<String> stdout() {
        return stdout;
    }

    List<String> stderr() {
        return stderr;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static void pump(java.io.InputStream in, List<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.add(line);
                }
            } catch (IOException e) {
                // the process ended and its stream was closed under us: nothing more to read
            }
        }, "outcalls-process-output");
        t.setDaemon(true);
        t.start();
    }
}
