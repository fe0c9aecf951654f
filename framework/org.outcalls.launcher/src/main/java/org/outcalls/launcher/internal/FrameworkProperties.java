package org.outcalls.launcher.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.Constants;

/**
 * The framework properties of an Outcalls runtime. Public so that integration tests boot Felix
 * exactly as {@code outcalls run} does.
 */
public final class FrameworkProperties {
    private FrameworkProperties() {
    }

    public static Map<String, String> of(Path home, Path data, boolean shell) {
        Layout layout = Layout.of(home, data);
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, layout.frameworkCache().toString());
        // A fresh cache each start: nothing a killed run left behind can affect the next one;
        // bundle/ and plugins/ are the source of truth.
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        String slf4j = ";version=" + LauncherInfo.slf4jVersion();
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",",
                "org.slf4j" + slf4j, "org.slf4j.event" + slf4j, "org.slf4j.helpers" + slf4j,
                "org.slf4j.spi" + slf4j, "sun.misc"));
        p.put("felix.log.level", "2");
        p.put("felix.fileinstall.dir", layout.plugins().toString());
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.log.level", "2");
        p.put("felix.fileinstall.tmpdir", layout.data().resolve("tmp").resolve("fileinstall").toString());
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("gosh.args", shell ? "" : "--nointeractive");
        p.put("ds.loglevel", "warn");
        p.put("outcalls.home", layout.home().toString());
        p.put("outcalls.data", layout.data().toString());
        return p;
    }

}
