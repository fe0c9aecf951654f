package org.outcalls.methods.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/** The bundle's version as {@code major.minor.micro}: what {@code version()} reports. */
final class PluginVersion {
    private PluginVersion() {
    }

    static String of(BundleContext context) {
        Version v = context.getBundle().getVersion();
        return v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
    }

    static String require(String version) {
        if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException("version: expected major.minor.micro, was '" + version + "'");
        }
        return version;
    }
}
