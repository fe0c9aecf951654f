package org.outcalls.quorum.median.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Manifest;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** What bnd generated from the annotations: the bundle a framework will see. */
class BundleMetadataTest {
    private static final Path CLASSES = Path.of("target", "classes");

    private static Manifest manifest() throws Exception {
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            return new Manifest(in);
        }
    }

    @Test
    void exportsNothingAndImportsOnlyTheApiOfOutcalls() throws Exception {
        var main = manifest().getMainAttributes();
        assertEquals("org.outcalls.quorum.median", main.getValue("Bundle-SymbolicName"));
        assertNull(main.getValue("Export-Package"));
        String imports = main.getValue("Import-Package");
        for (String pkg : imports.split(",(?=[a-z])")) {
            String name = pkg.split(";")[0];
            assertTrue(!name.startsWith("org.outcalls") || name.startsWith("org.outcalls.api"), name);
        }
        assertTrue(imports.contains("org.outcalls.api.policy"), imports);
    }

    @Test
    void oneComponentRegisteredUnderItsName() throws Exception {
        String components = manifest().getMainAttributes().getValue("Service-Component");
        assertEquals(1, Arrays.stream(components.split(",")).count(), components);
        assertComponent(MedianPolicy.class, "median");
    }

    private static void assertComponent(Class<?> type, String name) throws Exception {
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(CLASSES.resolve("OSGI-INF/" + type.getName() + ".xml").toFile());
        Element impl = (Element) xml.getElementsByTagName("implementation").item(0);
        assertEquals(type.getName(), impl.getAttribute("class"));
        Element provide = (Element) xml.getElementsByTagName("provide").item(0);
        assertEquals("org.outcalls.api.policy.AgreementPolicy", provide.getAttribute("interface"));
        Element property = (Element) xml.getElementsByTagName("property").item(0);
        assertEquals("outcalls.policy.name", property.getAttribute("name"));
        assertEquals(name, property.getAttribute("value"));
        Element root = xml.getDocumentElement();
        assertEquals("1", root.getAttribute("init"), "constructor injection: the BundleContext parameter");
    }
}
