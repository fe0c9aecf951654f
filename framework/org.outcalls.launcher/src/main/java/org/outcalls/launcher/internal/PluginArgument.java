package org.outcalls.launcher.internal;

import java.util.regex.Pattern;

/**
 * {@code NAME[@VERSION]} as {@code outcalls admin enable|disable} takes it, checked before anything
 * is signed: a name the registry accepts, and a version the host can give a plugin. The host
 * versions a plugin {@code major.minor.micro} of its bundle's {@code Bundle-Version}, so any other
 * form (a qualifier, {@code 1.0}, a typo) names a version no replica can ever have installed.
 */
record PluginArgument(String name, String version) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern VERSION = Pattern.compile("\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}");

    /** The parsed argument; an {@link IllegalArgumentException} saying what is wrong and what is allowed. */
    static PluginArgument parse(String argument) {
        String text = argument == null ? "" : argument.strip();
        int at = text.indexOf('@');
        String name = at < 0 ? text : text.substring(0, at);
        String version = at < 0 ? null : text.substring(at + 1);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + argument + "' is not NAME or NAME@VERSION: the name "
                    + (name.isEmpty() ? "is empty" : "'" + name + "' is not 1 to 128 of [A-Za-z0-9._-]"));
        }
        if (version != null && !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("'" + argument + "' is not NAME or NAME@VERSION: the version "
                    + (version.isEmpty() ? "is empty" : "'" + version + "' is not MAJOR.MINOR.MICRO")
                    + " (a plugin's version is major.minor.micro of its Bundle-Version, for example 1.0.1)");
        }
        return new PluginArgument(name, version);
    }
}
