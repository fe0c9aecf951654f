package org.outcalls.replica.internal.exec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.Names;
import org.outcalls.replica.internal.state.ReplicatedState;

/**
 * Ingress to the management canister: {@code enable_plugin name@version},
 * {@code disable_plugin name[@version]} and {@code change_members} ({@link MemberChanges}), accepted
 * only from an admin key in the registry. A change
 * replaces the registry in replicated state (version + 1) at once, so it holds for the rest of the
 * block and after, on every replica.
 */
final class AdminMethods {
    /** A refused admin message; the message says why. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private AdminMethods() {
    }

    static void execute(ReplicatedState state, IngressMessage m) throws Refused {
        String method = m.method();
        if (ManagementCanister.HTTP_REQUEST.equals(method)) {
            throw new Refused("http_request is called by canisters (CallContext.httpRequest), not by ingress");
        }
        if (!ManagementCanister.ENABLE_PLUGIN.equals(method) && !ManagementCanister.DISABLE_PLUGIN.equals(method)
                && !ManagementCanister.CHANGE_MEMBERS.equals(method)) {
            throw new Refused("the management canister has no ingress method '" + method + "'; it has "
                    + ManagementCanister.ENABLE_PLUGIN + ", " + ManagementCanister.DISABLE_PLUGIN + " and "
                    + ManagementCanister.CHANGE_MEMBERS);
        }
        SubnetRegistry registry = state.registry();
        if (!registry.isAdmin(m.sender())) {
            throw new Refused(method + ": the sender " + m.caller() + " is not an admin of this subnet");
        }
        if (ManagementCanister.CHANGE_MEMBERS.equals(method)) {
            MemberChanges.execute(state, m);
            return;
        }
        String argument = text(m.argument());
        int at = argument.indexOf('@');
        String name = at < 0 ? argument : argument.substring(0, at);
        String version = at < 0 ? null : argument.substring(at + 1);
        try {
            Names.checkPluginName(method + ": plugin name", name);
            if (version != null) {
                Names.checkVersion(method + ": version", version);
            }
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage() + " (argument: name@version)");
        }
        if (ManagementCanister.ENABLE_PLUGIN.equals(method)) {
            if (version == null) {
                throw new Refused("enable_plugin: '" + name + "' names no version; the argument is name@version,"
                        + " so that every replica runs the same one");
            }
            if (version.equals(registry.plugins().get(name))) {
                return;
            }
            state.setRegistry(registry.withPluginEnabled(name, version));
        } else {
            String enabled = registry.plugins().get(name);
            if (enabled == null) {
                throw new Refused("disable_plugin: '" + name + "' is not enabled; enabled plugins: "
                        + registry.describePlugins());
            }
            if (version != null && !version.equals(enabled)) {
                throw new Refused("disable_plugin: '" + name + "' is enabled at version " + enabled + ", not "
                        + version);
            }
            state.setRegistry(registry.withPluginDisabled(name));
        }
    }

    private static String text(byte[] argument) throws Refused {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(argument)).toString();
        } catch (CharacterCodingException e) {
            throw new Refused("argument: not UTF-8 text (expected name@version)");
        }
    }
}
