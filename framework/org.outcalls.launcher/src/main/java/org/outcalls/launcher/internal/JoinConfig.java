package org.outcalls.launcher.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.outcalls.replica.Member;
import org.outcalls.replica.multihost.ReplicaConfig;
import picocli.CommandLine.Option;

/**
 * The {@code replica.json} of a replica that joins a running subnet: the subnet's genesis, consensus
 * timing and store settings from an existing member's configuration (the template), and the members
 * of the registry after the change, which the new replica dials and from which it trusts a catch-up
 * package. Its node key stays where {@code outcalls keygen} wrote it ({@code node.key} beside the
 * file, unless {@code --config-node-key} says otherwise).
 */
final class JoinConfig {
    private JoinConfig() {
    }

    static final class Options {
        @Option(names = "--config-template", paramLabel = "FILE", required = true,
                description = "An existing member's replica.json: the genesis, timing and store settings are copied.")
        Path template;

        @Option(names = "--config-out", paramLabel = "FILE", required = true,
                description = "Where to write the new replica's replica.json (not overwritten).")
        Path out;

        @Option(names = "--config-node-key", paramLabel = "FILE",
                description = "The new replica's node.key as its config will name it (default: node.key beside --config-out).")
        Path nodeKey;

        @Option(names = "--config-http-port", paramLabel = "P",
                description = "The new replica's gateway port (default: the template's; -1: no gateway).")
        Integer httpPort;
    }

    /** Writes the configuration of member {@code index} of {@code members}; returns the file. */
    static Path write(Options o, int index, List<Member> members, long registryVersion) throws IOException {
        if (Files.exists(o.out)) {
            throw new IOException(o.out + " exists; a replica's configuration is not overwritten");
        }
        ReplicaConfig t = ReplicaConfig.read(o.template);
        Path out = o.out.toAbsolutePath();
        Path dir = out.getParent();
        Member m = members.get(index);
        String[] listen = listen(m.hostPort().orElseThrow());
        Optional<ReplicaConfig.Gateway> gateway = t.gateway();
        if (o.httpPort != null) {
            gateway = o.httpPort < 0 ? Optional.empty()
                    : Optional.of(new ReplicaConfig.Gateway(gateway.map(ReplicaConfig.Gateway::host).orElse("127.0.0.1"),
                    o.httpPort));
        }
        ReplicaConfig c = new ReplicaConfig(out, index, o.nodeKey != null ? o.nodeKey.toAbsolutePath() : dir.resolve("node.key"),
                listen[0], Integer.parseInt(listen[1]), dir.resolve("data"), gateway, t.rankDelay(), t.heartbeat(), t.store(),
                t.genesis(), registryVersion, members);
        c.write();
        return out;
    }

    /** Listen on the member's own address (host:port; [v6]:port). */
    private static String[] listen(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, hostPort.substring(colon + 1)};
    }
}
