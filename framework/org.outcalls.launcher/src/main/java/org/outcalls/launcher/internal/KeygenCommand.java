package org.outcalls.launcher.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.outcalls.crypto.NodeKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outcalls keygen --out DIR}: a new node key for a replica of a multi-host subnet. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Write a new node key (Ed25519) for a replica: DIR/node.key (private, mode 600) and DIR/node.pub "
                + "(the public key, hex). Give the public key to whoever runs 'outcalls subnet init --keys'."})
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write node.key and node.pub into.")
    Path out;

    @Option(names = "--force", description = "Replace an existing node.key (the old identity is lost).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Path key = out.resolve("node.key");
        if (Files.exists(key) && !force) {
            System.err.println("outcalls keygen: " + key + " exists; a replica's key must not change under it "
                    + "(use --force to replace it)");
            return ExitCodes.USAGE;
        }
        NodeKey k = NodeKey.generate();
        k.save(key);
        Path pub = out.resolve("node.pub");
        Files.writeString(pub, k.publicKey().hex() + "\n", StandardCharsets.US_ASCII);
        System.out.println("node " + k.publicKey().nodeId());
        System.out.println("public key " + k.publicKey().hex());
        System.out.println("wrote " + key.toAbsolutePath() + " (secret, stays on this host) and " + pub.toAbsolutePath());
        return ExitCodes.OK;
    }
}
