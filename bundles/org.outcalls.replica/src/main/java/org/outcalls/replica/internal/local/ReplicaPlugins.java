package org.outcalls.replica.internal.local;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.transform.Transform;
import org.outcalls.replica.local.PluginSource;
import org.outcalls.replica.local.Plugins;

/**
 * What one replica of a local subnet sees of the plugins installed in this JVM: all of them, minus
 * those a development setting hides from it. In one JVM every replica shares the same plugin
 * services; hiding lets a test or a developer watch how a subnet copes with one replica that lacks
 * a plugin the others have. Hiding is by plugin name and applies to transforms, policies and
 * {@code methods} alike.
 */
final class ReplicaPlugins implements PluginSource {
    private final Plugins installed;
    private volatile Set<String> hidden = Set.of();

    ReplicaPlugins(Plugins installed) {
        this.installed = installed;
    }

    void hide(Collection<String> names) {
        this.hidden = Set.copyOf(new TreeSet<>(names));
    }

    /** The hidden plugin names, sorted. */
    List<String> hidden() {
        return List.copyOf(new TreeSet<>(hidden));
    }

    @Override
    public Optional<Transform> transform(String name, String version) {
        return hidden.contains(name) ? Optional.empty() : installed.transform(name, version);
    }

    @Override
    public Optional<AgreementPolicy> policy(String name, String version) {
        return hidden.contains(name) ? Optional.empty() : installed.policy(name, version);
    }

    @Override
    public Optional<MethodSupport> methods() {
        return hidden.contains(MethodSupport.NAME) ? Optional.empty() : installed.methods();
    }

    @Override
    public List<String> installed() {
        return installed.installed().stream().filter(e -> !hidden.contains(e.substring(0, e.lastIndexOf('@')))).toList();
    }

    @Override
    public boolean serves(String name, String version) {
        return !hidden.contains(name) && installed.serves(name, version);
    }
}
