package org.outcalls.launcher.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.outcalls.replica.internal.backup.BackupManifest;
import org.outcalls.replica.internal.control.ControlClient;
import org.outcalls.replica.multihost.ReplicaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outcalls backup --config FILE --out FILE.tar.gz}: a consistent backup of a running replica's store. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Back up the store of the replica running with this configuration, while it runs: the replica "
                + "copies its store between two commits (consensus pauses for that local copy only) and sends it over its "
                + "local control endpoint; the archive is checked before it is kept. Run as the replica's user.",
                "Exit codes: 0 written, 1 failed, 2 wrong usage, 3 no replica runs with this configuration."})
final class BackupCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", required = true, description = "The replica's replica.json.")
    Path config;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The archive to write (.tar.gz).")
    Path out;

    @Option(names = "--force", description = "Replace an existing --out file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        ReplicaConfig rc;
        try {
            rc = ReplicaConfig.read(config);
        } catch (IOException e) {
            return fail(ExitCodes.USAGE, "--config " + e.getMessage());
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !force) {
            return fail(ExitCodes.USAGE, "--out " + target + " exists (--force replaces it)");
        }
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            return fail(ExitCodes.USAGE, "--out " + target + ": the folder " + target.getParent() + " does not exist");
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            long bytes;
            try (OutputStream o = Files.newOutputStream(part)) {
                bytes = ControlClient.backup(rc.data(), o);
            }
            BackupManifest m = BackupCheck.verify(part, rc);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("backup of replica " + m.replica() + " (node " + m.nodeId() + ") of subnet " + m.subnetId());
            System.out.println("finalized heights " + m.lowestHeight() + ".." + m.highestHeight() + ", checkpoints "
                    + m.checkpoints() + ", state hash " + m.stateHash() + " at executed height " + m.executedHeight());
            System.out.println("wrote " + target + " (" + bytes + " bytes; checked)");
            return ExitCodes.OK;
        } catch (ControlClient.NotRunning e) {
            return fail(ExitCodes.UNREACHABLE, e.getMessage());
        } catch (ControlClient.Refused e) {
            return fail(ExitCodes.REJECTED, "the replica refused: " + e.getMessage());
        } catch (BackupCheck.Unsound e) {
            return fail(ExitCodes.REJECTED, "the archive the replica sent does not check out: " + e.getMessage()
                    + " (see the replica's log)");
        } catch (IOException e) {
            return fail(ExitCodes.REJECTED, "the backup broke off: " + e.getMessage());
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static int fail(int code, String message) {
        System.err.println("outcalls backup: " + message);
        return code;
    }
}
