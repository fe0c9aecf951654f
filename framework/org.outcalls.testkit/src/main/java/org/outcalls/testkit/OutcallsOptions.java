package org.outcalls.testkit;

import static org.ops4j.pax.exam.CoreOptions.bootClasspathLibrary;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ops4j.pax.exam.Option;
import org.outcalls.replica.BundledPlugins;

/**
 * Pax Exam options that provision Outcalls in the test framework the way {@code outcalls run}
 * does: every runtime bundle and bundled plugin (from the local Maven repository), SLF4J and
 * Logback on the framework's class path, and configuration for the local subnet, the gateway and
 * the adapter (files that FileInstall, part of the runtime, reads from a folder of the test).
 *
 * <pre>{@code
 * @Configuration
 * public Option[] config() {
 *     return options(OutcallsOptions.runtime().replicas(4).build(),
 *             bundle("file:target/my-plugin.jar"));
 * }
 * }</pre>
 * In the test, {@code @Inject SubnetNode subnet} is the running subnet.
 */
public final class OutcallsOptions {
    /** Artifacts of the runtime, in install order. */
    public static final String BUNDLES = "runtime-bundles.txt";

    private OutcallsOptions() {
    }

    /** Everything with the defaults: 4 replicas, the gateway on a free loopback port. */
    public static Option outcalls() {
        return runtime().build();
    }

    public static Runtime runtime() {
        return new Runtime();
    }

    /**
     * Maven coordinates ({@code groupId:artifactId:version}) of the runtime's bundles: the testkit's
     * runtime dependencies (as Maven resolved them when the testkit was built) and the few runtime
     * bundles that are not among them.
     */
    public static List<String> bundleCoordinates() {
        Map<String, String> byArtifact = new LinkedHashMap<>();
        for (String line : lines(BUNDLES)) {
            String[] gav = line.split(":");
            byArtifact.put(gav[0] + ":" + gav[1], line);
        }
        for (String line : lines(DEPENDENCIES)) {
            String clean = line.replaceAll("\u001B\\[[0-9;]*m", "").strip();
            if (clean.isEmpty() || clean.contains("(optional)") || !Character.isLetter(clean.charAt(0))) {
                continue;
            }
            String[] f = clean.split("\\s+")[0].split(":");
            if (f.length < 5 || !"jar".equals(f[2]) || NOT_BUNDLES.stream().anyMatch(f[0]::startsWith)) {
                continue;
            }
            String version = f.length == 5 ? f[3] : f[4];
            byArtifact.put(f[0] + ":" + f[1], f[0] + ":" + f[1] + ":" + version);
        }
        return List.copyOf(byArtifact.values());
    }

    /** Group ids among the testkit's dependencies that are test tooling, not runtime bundles. */
    private static final List<String> NOT_BUNDLES = List.of("junit", "org.hamcrest", "org.ops4j", "org.junit",
            "org.slf4j", "ch.qos.logback", "javax.inject");
    static final String DEPENDENCIES = "dependencies.txt";

    private static List<String> lines(String resource) {
        List<String> out = new ArrayList<>();
        try (InputStream in = OutcallsOptions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the testkit");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.strip().startsWith("#") && !line.startsWith("The following")) {
                    out.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** How the provisioned runtime is configured. */
    public static final class Runtime {
        private final Map<String, Map<String, List<String>>> configs = new TreeMap<>();
        private boolean plugins = true;
        private final List<String> enabled = new ArrayList<>();

        private Runtime() {
            config("org.outcalls.subnet.embedded", "replicas", "4");
            config("org.outcalls.subnet.embedded", "rankDelayMillis", "100");
            config("org.outcalls.subnet.embedded", "heartbeatMillis", "500");
            config("org.outcalls.gateway", "host", "127.0.0.1");
            config("org.outcalls.gateway", "port", "0");
            config("org.outcalls.adapter", "connectTimeoutMillis", "2000");
        }

        public Runtime replicas(int n) {
            return config("org.outcalls.subnet.embedded", "replicas", Integer.toString(n));
        }

        /** Development fault injection: the last k replicas misbehave (crash, silent, equivocate, forge). */
        public Runtime faulty(int k, String mode) {
            config("org.outcalls.subnet.embedded", "faulty", Integer.toString(k));
            return config("org.outcalls.subnet.embedded", "fault", mode);
        }

        public Runtime gatewayPort(int port) {
            return config("org.outcalls.gateway", "port", Integer.toString(port));
        }

        /** An extra root the adapter trusts (a scripted origin's CA, for example); repeatable. */
        public Runtime trustCa(Path pem) {
            return add("org.outcalls.adapter", "trustCa", pem.toAbsolutePath().toString());
        }

        /** A host or CIDR exempt from the private-address block; repeatable. */
        public Runtime allowTarget(String hostOrCidr) {
            return add("org.outcalls.adapter", "allowTargets", hostOrCidr);
        }

        /** Trusts the CA and allows loopback (127.0.0.1 and ::1): what a scripted origin on this machine needs. */
        public Runtime loopbackOrigin(Path caPem) {
            return trustCa(caPem).allowTarget("127.0.0.1").allowTarget("::1");
        }

        /** Without the bundled plugins (transforms, policies, methods): install your own. */
        public Runtime withoutBundledPlugins() {
            plugins = false;
            return this;
        }

        /**
         * Enables a plugin in the subnet's initial registry, as {@code name@version} (for example
         * {@code shout@1.0.0}, the name of its {@code @TransformName} and its bundle's version), beside
         * the bundled plugins; repeatable. A transform or policy serves requests only once enabled.
         */
        public Runtime enable(String nameAtVersion) {
            int at = nameAtVersion.indexOf('@');
            if (at < 1 || at == nameAtVersion.length() - 1) {
                throw new IllegalArgumentException("enable: expected name@version, such as shout@1.0.0, was '"
                        + nameAtVersion + "'");
            }
            enabled.add(nameAtVersion);
            return this;
        }

        /** Any configuration property of a component (pid, key, value as text; DS converts it). */
        public Runtime config(String pid, String key, String value) {
            configs.computeIfAbsent(pid, p -> new LinkedHashMap<>()).put(key, new ArrayList<>(List.of(value)));
            return this;
        }

        /** One more value of a multi-valued property (an array). */
        public Runtime add(String pid, String key, String value) {
            configs.computeIfAbsent(pid, p -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            multiValued.add(pid + "/" + key);
            return this;
        }

        private final java.util.Set<String> multiValued = new java.util.HashSet<>();

        public Option build() {
            Path work;
            try {
                work = Files.createTempDirectory("outcalls-exam");
                Path conf = Files.createDirectories(work.resolve("conf"));
                Path data = Files.createDirectories(work.resolve("data"));
                config("org.outcalls.subnet.embedded", "dataDir", data.resolve("replicas").toString());
                if (!enabled.isEmpty()) {
                    // the embedded subnet's list replaces its default, the bundled plugins: name them too
                    configs.computeIfAbsent("org.outcalls.subnet.embedded", k -> new LinkedHashMap<>()).remove("plugins");
                    (plugins ? BundledPlugins.ALL : List.<String>of()).forEach(p -> add("org.outcalls.subnet.embedded", "plugins", p));
                    enabled.forEach(p -> add("org.outcalls.subnet.embedded", "plugins", p));
                }
                for (Map.Entry<String, Map<String, List<String>>> c : configs.entrySet()) {
                    // FileInstall's typed format (.config): "text" or ["a","b"]
                    StringBuilder text = new StringBuilder("# written by OutcallsOptions\n");
                    c.getValue().forEach((k, values) -> {
                        text.append(k).append('=');
                        if (multiValued.contains(c.getKey() + "/" + k)) {
                            text.append('[');
                            for (int i = 0; i < values.size(); i++) {
                                text.append(i == 0 ? "" : ",").append(quote(values.get(i)));
                            }
                            text.append(']');
                        } else {
                            text.append(quote(values.get(values.size() - 1)));
                        }
                        text.append('\n');
                    });
                    Files.writeString(conf.resolve(c.getKey() + ".config"), text);
                }
                Files.writeString(work.resolve("logback.xml"), LOGBACK);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the test runtime's configuration", e);
            }
            java.util.Properties versions = StandardPlugins.properties();
            String slf4j = versions.getProperty("slf4j.version");
            String logback = versions.getProperty("logback.version");
            List<Option> options = new ArrayList<>();
            options.add(bootClasspathLibrary(maven("org.slf4j", "slf4j-api", slf4j)));
            options.add(bootClasspathLibrary(maven("ch.qos.logback", "logback-classic", logback)));
            options.add(bootClasspathLibrary(maven("ch.qos.logback", "logback-core", logback)));
            String v = ";version=" + slf4j;
            options.add(systemPackages("org.slf4j" + v, "org.slf4j.event" + v, "org.slf4j.helpers" + v, "org.slf4j.spi" + v,
                    "sun.misc"));
            options.add(systemProperty("logback.configurationFile").value(work.resolve("logback.xml").toString()));
            options.add(systemProperty("vertx.logger-delegate-factory-class-name")
                    .value("io.vertx.core.logging.SLF4JLogDelegateFactory"));
            options.add(frameworkProperty("felix.fileinstall.dir").value(work.resolve("conf").toString()));
            options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
            options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
            options.add(frameworkProperty("felix.fileinstall.log.level").value("2"));
            options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
            options.add(frameworkProperty("felix.fileinstall.tmpdir").value(work.resolve("data").resolve("fileinstall").toString()));
            options.add(frameworkProperty("ds.loglevel").value("warn"));
            options.add(frameworkProperty("outcalls.data").value(work.resolve("data").toString()));
            for (String coordinates : bundleCoordinates()) {
                String[] gav = coordinates.split(":");
                boolean plugin = gav[1].startsWith("org.outcalls.transform.") || gav[1].startsWith("org.outcalls.quorum.")
                        || gav[1].equals("org.outcalls.methods");
                if (plugin && !plugins) {
                    continue;
                }
                options.add(mavenBundle(gav[0], gav[1], gav[2]));
            }
            options.add(junitBundles());
            return composite(options.toArray(Option[]::new));
        }
    }

    private static String quote(String v) {
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static final String LOGBACK = """
            <configuration>
              <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
              </appender>
              <logger name="io.netty" level="WARN"/>
              <logger name="io.vertx" level="WARN"/>
              <root level="WARN"><appender-ref ref="CONSOLE"/></root>
            </configuration>
            """;
}
