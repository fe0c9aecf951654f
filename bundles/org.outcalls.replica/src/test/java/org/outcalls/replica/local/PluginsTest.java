package org.outcalls.replica.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.transform.Transform;

/** The host's view of installed plugins: by the name and version it gave them, never by asking the plugin. */
class PluginsTest {
    private static final Transform UPPER = (response, context) -> response;
    private static final Transform UPPER_2 = (response, context) -> response;
    private static final MethodSupport METHODS_1 = (request, subnet, callback, replicated) -> request;
    private static final MethodSupport METHODS_2 = (request, subnet, callback, replicated) -> request;
    private static final AgreementPolicy POLICY = new AgreementPolicy() {
        @Override
        public int[] committee(CommitteeInput input) {
            return new int[] {0};
        }

        @Override
        public boolean carriesShareContents() {
            return false;
        }

        @Override
        public Decision decide(DecisionInput input) {
            return new Decision.Pending();
        }
    };

    private final List<InstalledPlugin<Transform>> transforms = new CopyOnWriteArrayList<>();
    private final List<InstalledPlugin<AgreementPolicy>> policies = new CopyOnWriteArrayList<>();
    private final List<InstalledPlugin<MethodSupport>> methods = new CopyOnWriteArrayList<>();
    private final Plugins plugins = Plugins.live(() -> transforms, () -> policies, () -> methods);

    @Test
    void lookupsGoByTheInstalledNameAndVersion() {
        transforms.add(new InstalledPlugin<>("upper", "1.0.0", UPPER));
        transforms.add(new InstalledPlugin<>("upper", "1.1.0", UPPER_2));
        policies.add(new InstalledPlugin<>("first", "2.0.0", POLICY));
        methods.add(new InstalledPlugin<>(MethodSupport.NAME, "1.0.0", METHODS_1));
        methods.add(new InstalledPlugin<>(MethodSupport.NAME, "1.10.0", METHODS_2));

        assertSame(UPPER, plugins.transform("upper", "1.0.0").orElseThrow());
        assertSame(UPPER_2, plugins.transform("upper", "1.1.0").orElseThrow());
        assertEquals(Optional.empty(), plugins.transform("upper", "2.0.0"));
        assertSame(POLICY, plugins.policy("first", "2.0.0").orElseThrow());
        assertSame(METHODS_2, plugins.methods().orElseThrow(), "the highest version, compared as versions");
        assertEquals(List.of("first@2.0.0", "methods@1.0.0", "methods@1.10.0", "upper@1.0.0", "upper@1.1.0"),
                plugins.installed());
        assertEquals(Map.of("transforms", List.of("upper@1.0.0", "upper@1.1.0"), "policies", List.of("first@2.0.0"),
                "methods", List.of("methods@1.0.0", "methods@1.10.0")), plugins.describe());
        assertEquals(List.of("1.0.0", "1.1.0"), plugins.installedVersions("upper"));
        assertTrue(plugins.serves("methods", "1.10.0"));
        assertTrue(plugins.serves("first", "2.0.0"));
        assertFalse(plugins.serves("first", "1.0.0"));
    }

    @Test
    void aRemovedVersionIsServedWhileAContextPinsItThenReleased() {
        InstalledPlugin<Transform> old = new InstalledPlugin<>("upper", "1.0.0", UPPER);
        InstalledPlugin<AgreementPolicy> oldPolicy = new InstalledPlugin<>("first", "1.0.0", POLICY);
        transforms.add(old);
        policies.add(oldPolicy);
        assertEquals(Optional.of(old), InstalledPlugin.remove(transforms, UPPER));
        assertEquals(Optional.empty(), InstalledPlugin.remove(transforms, UPPER), "removed once");
        policies.remove(oldPolicy);
        plugins.retireTransform(old);
        plugins.retirePolicy(oldPolicy);

        assertSame(UPPER, plugins.transform("upper", "1.0.0").orElseThrow());
        assertSame(POLICY, plugins.policy("first", "1.0.0").orElseThrow());
        assertFalse(plugins.serves("upper", "1.0.0"), "a retired version is not announced as installed");
        plugins.releaseUnpinned(Set.of("upper@1.0.0"));
        assertEquals(1, plugins.retiredCount());
        assertEquals(Optional.empty(), plugins.policy("first", "1.0.0"));
        plugins.releaseUnpinned(Set.of());
        assertEquals(0, plugins.retiredCount());
        assertEquals(Optional.empty(), plugins.transform("upper", "1.0.0"));
    }

    @Test
    void theVersionIsTheBundlesMajorMinorMicroAndNothingElse() {
        assertEquals("1.2.3", InstalledPlugin.version(Version.parseVersion("1.2.3.SNAPSHOT")));
        assertEquals("2.0.0", InstalledPlugin.version(Version.parseVersion("2")));
        assertEquals("version: expected major.minor.micro, was '1.2'",
                assertThrows(IllegalArgumentException.class, () -> new InstalledPlugin<>("upper", "1.2", UPPER)).getMessage());
        assertEquals("name: must not be empty",
                assertThrows(IllegalArgumentException.class, () -> new InstalledPlugin<>(" ", "1.0.0", UPPER)).getMessage());
    }
}
