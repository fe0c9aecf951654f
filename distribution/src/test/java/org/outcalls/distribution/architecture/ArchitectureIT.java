package org.outcalls.distribution.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The structure the project keeps (CONTRIBUTING.md), as rules over the compiled main classes of
 * every bundle the distribution ships: no cycle between bundles or between packages, no exported
 * package that depends on an internal one (but through a named factory, {@link #FACTORIES}),
 * plugins built on the API alone, and no main source file over {@value #MAX_LINES} lines.
 */
class ArchitectureIT {
    /** The plugin bundles: they build on the API alone (and on libraries they embed). */
    static final String[] PLUGINS = {"org.outcalls.transform.basic..", "org.outcalls.transform.json..",
        "org.outcalls.transform.regex..", "org.outcalls.quorum..", "org.outcalls.methods.."};
    static final int MAX_LINES = 500;
    /**
     * The factories: each is the one door from its exported package into the implementation behind
     * an exported type, and does nothing but create it (and pass calls on to it). Their own
     * dependencies on internal packages are allowed; every other class's are checked. Keep it short.
     */
    static final Map<String, String> FACTORIES = factories(
            "org.outcalls.adapter.HttpsAdapters", "creates the Vert.x adapter outside OSGi",
            "org.outcalls.bench.Bench", "the entry point of 'outcalls bench'",
            "org.outcalls.canister.proxy.ProxyCanisters", "creates the proxy canister outside OSGi",
            "org.outcalls.consensus.Consensus", "creates one replica's consensus engine and passes calls on to it",
            "org.outcalls.transport.Transports", "creates the in-JVM networks, the TCP transport and serving budgets",
            "org.outcalls.replica.local.LocalSubnets", "starts a subnet of replicas in this JVM");

    private static JavaClasses outcalls;

    @BeforeAll
    static void importClasses() {
        outcalls = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.outcalls");
        // a rule over an empty import passes whatever the code: make sure the bundles are there
        for (String factory : FACTORIES.keySet()) {
            assertTrue(outcalls.contain(factory), "named factory " + factory + " does not exist: take it off the list");
        }
        for (String type : List.of("org.outcalls.replica.Replica", "org.outcalls.consensus.Consensus",
                "org.outcalls.quorum.twothirds.internal.TwoThirdsPolicy", "org.outcalls.gateway.internal.GatewayServer")) {
            assertTrue(outcalls.contain(type), type + " was not imported: the rules would check nothing");
        }
    }

    @Test
    void noCyclesBetweenBundles() {
        slices().matching("org.outcalls.(*)..").should().beFreeOfCycles().check(outcalls);
    }

    @Test
    void noCycleBetweenPackages() {
        assertNone(graph().cyclicEdges(), "package dependencies on a cycle");
    }

    @Test
    void noExportedPackageDependsOnAnInternalOne() {
        assertNone(graph().edges((from, to) -> !internal(from) && internal(to)),
                "dependencies of an exported package on an internal one (move the type, or create the "
                        + "implementation in a factory named in FACTORIES)");
    }

    private static void assertNone(SortedSet<String> edges, String what) {
        assertTrue(edges.isEmpty(), () -> what + " (" + edges.size() + "):\n  " + String.join("\n  ", edges));
    }

    private static PackageGraph graph() {
        return new PackageGraph(outcalls, "org.outcalls.", FACTORIES.keySet());
    }

    private static Map<String, String> factories(String... classAndWhy) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < classAndWhy.length; i += 2) {
            out.put(classAndWhy[i], classAndWhy[i + 1]);
        }
        return Collections.unmodifiableMap(out);
    }

    private static boolean internal(String pkg) {
        return pkg.endsWith(".internal") || pkg.contains(".internal.");
    }

    @Test
    void pluginsBuildOnTheApiAlone() {
        for (String plugin : PLUGINS) {
            noClasses().that().resideInAPackage(plugin)
                    .should().dependOnClassesThat(resideInAPackage("org.outcalls..")
                            .and(not(resideInAnyPackage("org.outcalls.api..", plugin))))
                    .as("plugin " + plugin + " uses no org.outcalls package but the API and its own")
                    .allowEmptyShould(false).check(outcalls);
        }
    }

    @Test
    void noMainSourceFileIsLongerThan500Lines() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isDirectory(root.resolve("bundles")), "run from the distribution module: " + root);
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(root)) {
            tooLong = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/") && !p.toString().contains("/target/"))
                    .filter(p -> lines(p) > MAX_LINES)
                    .map(p -> root.relativize(p) + " (" + lines(p) + " lines)").sorted().toList();
        }
        assertEquals(List.of(), tooLong, "main source files over " + MAX_LINES + " lines");
    }

    private static long lines(Path p) {
        try (Stream<String> l = Files.lines(p)) {
            return l.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
