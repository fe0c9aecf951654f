package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Every bundle shipped in {@code plugins/} looks like a third-party plugin should: it exports
 * nothing, imports nothing of Outcalls but {@code org.outcalls.api}, and registers each plugin as
 * a DS component under its SPI with its name property ({@code @TransformName}, {@code @PolicyName}),
 * made by its no-argument constructor: the host gives it its name and version, nothing else is needed.
 */
class PluginBundlesIT {
    private static final Map<String, String> NAME_PROPERTY = Map.of(
            "org.outcalls.api.transform.Transform", "outcalls.transform.name",
            "org.outcalls.api.policy.AgreementPolicy", "outcalls.policy.name",
            "org.outcalls.api.methods.MethodSupport", "");

    static List<Path> plugins() {
        List<Path> jars = Dist.jars(Dist.home().resolve("plugins"));
        assertEquals(7, jars.size(), "plugins shipped: " + jars);
        return jars;
    }

    @ParameterizedTest
    @MethodSource("plugins")
    void exportsNothingAndImportsOnlyTheApi(Path jar) throws Exception {
        try (JarFile f = new JarFile(jar.toFile())) {
            var main = f.getManifest().getMainAttributes();
            assertNull(main.getValue("Export-Package"), jar + " exports");
            for (String pkg : main.getValue("Import-Package").split(",(?=[a-z])")) {
                String name = pkg.split(";")[0];
                assertTrue(!name.startsWith("org.outcalls") || name.startsWith("org.outcalls.api"), jar + " imports " + name);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("plugins")
    void eachComponentProvidesItsSpiUnderItsName(Path jar) throws Exception {
        try (JarFile f = new JarFile(jar.toFile())) {
            Manifest m = f.getManifest();
            String components = m.getMainAttributes().getValue("Service-Component");
            assertFalse(components == null || components.isBlank(), jar + " has no components");
            List<String> problems = new ArrayList<>();
            for (String entry : components.split(",")) {
                try (InputStream in = f.getInputStream(f.getEntry(entry.strip()))) {
                    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
                    Element provide = (Element) xml.getElementsByTagName("provide").item(0);
                    String spi = provide == null ? null : provide.getAttribute("interface");
                    if (!NAME_PROPERTY.containsKey(spi)) {
                        problems.add(entry + " provides " + spi);
                        continue;
                    }
                    String property = NAME_PROPERTY.get(spi);
                    Element p = (Element) xml.getElementsByTagName("property").item(0);
                    if (!property.isEmpty() && (p == null || !property.equals(p.getAttribute("name")) || p.getAttribute("value").isBlank())) {
                        problems.add(entry + " has no " + property + " property");
                    }
                    if (!xml.getDocumentElement().getAttribute("init").isEmpty()
                            || !xml.getDocumentElement().getAttribute("activate").isEmpty()) {
                        problems.add(entry + " is not made by its no-argument constructor alone");
                    }
                }
            }
            assertTrue(problems.isEmpty(), jar + ": " + problems);
        }
    }
}
