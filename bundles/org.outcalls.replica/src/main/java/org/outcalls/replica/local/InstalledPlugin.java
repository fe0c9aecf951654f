package org.outcalls.replica.local;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.osgi.framework.Version;

/**
 * A plugin as installed on this host: the name it is registered under (its {@code @TransformName}
 * or {@code @PolicyName} service property, or {@code methods}), the version of the bundle that
 * registered it, and the service object. The host knows a plugin by these and never asks the
 * plugin: its author cannot get them wrong.
 *
 * @param name    the registered name, for example {@code json}
 * @param version the bundle's version as {@code major.minor.micro}
 * @param plugin  the service object
 */
public record InstalledPlugin<T>(String name, String version, T plugin) {
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    public InstalledPlugin {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: must not be empty");
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version: expected major.minor.micro, was '" + version + "'");
        }
        Objects.requireNonNull(plugin, "plugin");
    }

    /** A bundle version as a plugin version: {@code major.minor.micro} (the qualifier is not part of it). */
    public static String version(Version bundleVersion) {
        return bundleVersion.getMajor() + "." + bundleVersion.getMinor() + "." + bundleVersion.getMicro();
    }

    /** {@code name@version}: how registries, announcements and pinned contexts name it. */
    public String id() {
        return name + "@" + version;
    }

    public boolean is(String name, String version) {
        return this.name.equals(name) && this.version.equals(version);
    }

    /**
     * Removes the entry that holds exactly this object (by identity: two equal plugins of two
     * bundles stay apart) and returns it.
     */
    public static <T> Optional<InstalledPlugin<T>> remove(List<InstalledPlugin<T>> from, Object plugin) {
        for (InstalledPlugin<T> p : from) {
            if (p.plugin() == plugin && from.remove(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
