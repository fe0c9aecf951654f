package org.outcalls.distribution;

import static org.ops4j.pax.exam.CoreOptions.bootClasspathLibrary;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Constants;
import org.outcalls.launcher.internal.FrameworkProperties;

/**
 * Pax Exam options that boot exactly the distribution: the logging libraries of {@code lib/} on
 * the framework's class path, every bundle of {@code bundle/} and {@code plugins/}, and the
 * framework properties {@code outcalls run} uses.
 */
final class DistributionOptions {
    private DistributionOptions() {
    }

    static Option[] runtime(String testName, Option... extra) {
        Path home = Dist.home();
        Path work = Dist.target().resolve("exam").resolve(testName);
        List<Option> options = new ArrayList<>();
        Map<String, String> props = new TreeMap<>(FrameworkProperties.of(home, work.resolve("data"), false));
        props.remove(Constants.FRAMEWORK_STORAGE);
        props.remove(Constants.FRAMEWORK_STORAGE_CLEAN);
        // Hot deploy watches a folder of this test, not the distribution's own plugins/.
        props.put("felix.fileinstall.dir", work.resolve("plugins").toString());
        options.add(systemPackages(props.remove(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA).split(",")));
        props.forEach((k, v) -> options.add(frameworkProperty(k).value(v)));
        for (Path jar : Dist.jars(home.resolve("lib"))) {
            String name = jar.getFileName().toString();
            if (name.startsWith("slf4j-api") || name.startsWith("logback-") || name.startsWith("jul-to-slf4j")) {
                options.add(bootClasspathLibrary(jar.toUri().toString()));
            }
        }
        for (Path jar : Dist.jars(home.resolve("bundle"))) {
            options.add(bundle(jar.toUri().toString()));
        }
        for (Path jar : Dist.jars(home.resolve("plugins"))) {
            options.add(bundle(jar.toUri().toString()));
        }
        options.add(junitBundles());
        options.add(cleanCaches(true));
        options.add(workingDirectory(work.resolve("framework").toString()));
        options.add(systemProperty("logback.configurationFile")
                .value(Path.of("src/test/resources/logback-exam.xml").toAbsolutePath().toString()));
        options.add(systemProperty("outcalls.exam.log").value(work.resolve("exam.log").toString()));
        options.add(systemProperty("vertx.logger-delegate-factory-class-name")
                .value("io.vertx.core.logging.SLF4JLogDelegateFactory"));
        options.addAll(Arrays.asList(extra));
        return options.toArray(Option[]::new);
    }
}
