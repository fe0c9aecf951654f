package org.outcalls.methods.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** What bnd generated from the annotations: the bundle a framework will see. */
class BundleMetadataTest {
    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void exportsNothingImportsOnlyTheApiOfOutcallsAndProvidesMethodSupport() throws Exception {
        Manifest manifest;
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        var main = manifest.getMainAttributes();
        assertEquals("org.outcalls.methods", main.getValue("Bundle-SymbolicName"));
        assertNull(main.getValue("Export-Package"));
        String imports = main.getValue("Import-Package");
        for (String pkg : imports.split(",(?=[a-z])")) {
            String name = pkg.split(";")[0];
            assertTrue(!name.startsWith("org.outcalls") || name.startsWith("org.outcalls.api"), name);
        }
        assertEquals("OSGI-INF/" + Methods.class.getName() + ".xml", main.getValue("Service-Component"));

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(CLASSES.resolve("OSGI-INF/" + Methods.class.getName() + ".xml").toFile());
        Element provide = (Element) xml.getElementsByTagName("provide").item(0);
        assertEquals("org.outcalls.api.methods.MethodSupport", provide.getAttribute("interface"));
        assertEquals("1", xml.getDocumentElement().getAttribute("init"), "constructor injection");
    }
}
