package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.outcalls.testkit.OutcallsOptions;

/**
 * The testkit's Pax Exam options provision what the distribution runs: every jar of bundle/ and
 * plugins/ (but the demo and the interactive shell, which plugin tests do not want) is among
 * {@link OutcallsOptions#bundleCoordinates()} at the same version, and nothing else of the
 * runtime is missing. When this fails, add the artifact to the testkit's runtime-bundles.txt or
 * to its dependencies.
 */
class TestkitRuntimeIT {
    /** Shipped, but not provisioned for plugin tests. */
    private static final Set<String> NOT_FOR_TESTS = Set.of("org.outcalls.demo", "org.apache.felix.gogo.shell");
    /** Provisioned for plugin tests, shipped or not. */
    private static final Set<String> ONLY_FOR_TESTS = Set.of("org.outcalls.testkit.origin");

    @Test
    void theTestkitProvisionsTheDistributionsBundles() {
        Set<String> provisioned = new TreeSet<>();
        for (String c : OutcallsOptions.bundleCoordinates()) {
            String[] gav = c.split(":");
            provisioned.add(gav[1] + "-" + gav[2] + ".jar");
        }
        Set<String> shipped = new TreeSet<>();
        for (Path jar : concat(Dist.jars(Dist.home().resolve("bundle")), Dist.jars(Dist.home().resolve("plugins")))) {
            String name = jar.getFileName().toString();
            if (NOT_FOR_TESTS.stream().noneMatch(n -> name.startsWith(n + "-"))) {
                shipped.add(name);
            }
        }
        Set<String> missing = new TreeSet<>(shipped);
        missing.removeAll(provisioned);
        Set<String> extra = new TreeSet<>(provisioned);
        extra.removeAll(shipped);
        extra.removeIf(name -> ONLY_FOR_TESTS.stream().anyMatch(n -> name.startsWith(n + "-")));
        assertTrue(missing.isEmpty() && extra.isEmpty(), "the testkit's runtime differs from the distribution: shipped but "
                + "not provisioned " + missing + "; provisioned but not shipped " + extra);
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
