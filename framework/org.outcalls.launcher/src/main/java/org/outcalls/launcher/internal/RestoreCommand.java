package org.outcalls.launcher.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.outcalls.replica.internal.backup.BackupArchive;
import org.outcalls.replica.internal.backup.BackupManifest;
import org.outcalls.replica.internal.control.DataFolderLock;
import org.outcalls.replica.internal.store.StoreSummary;
import org.outcalls.replica.multihost.ReplicaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outcalls restore --config FILE --from FILE.tar.gz}: puts a backup into a stopped replica's data folder. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a backup that 'outcalls backup' wrote into the data folder of this (stopped) replica. "
                + "Refuses a running replica, a damaged archive, and a backup of another subnet or node key. Started "
                + "again, the replica catches up from its peers.",
                "Exit codes: 0 restored, 1 refused, 2 wrong usage."})
final class RestoreCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "The replica's replica.json.")
    Path config;

    @Option(names = "--from", paramLabel = "FILE", required = true, description = "The archive 'outcalls backup' wrote.")
    Path from;

    @Option(names = "--force", description = "Replace a store the data folder already holds (it is kept beside, "
            + "as store.before-restore-TIME).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        ReplicaConfig rc;
        try {
            rc = ReplicaConfig.read(config);
        } catch (IOException e) {
            return fail(ExitCodes.USAGE, "--config " + e.getMessage());
        }
        if (!Files.isRegularFile(from)) {
            return fail(ExitCodes.USAGE, "--from " + from + " is not a file");
        }
        Path data = rc.data();
        Files.createDirectories(data);
        // unpacked beside the store (one file system: the final move is a rename), checked before anything else
        Path work = Files.createTempDirectory(data, "restore-tmp-");
        try {
            BackupManifest m;
            try {
                m = BackupCheck.unpack(from, rc, work);
            } catch (BackupCheck.Unsound e) {
                return fail(ExitCodes.REJECTED, "refused: " + e.getMessage());
            }
            Optional<String> running = DataFolderLock.holder(data);
            if (running.isPresent()) {
                return fail(ExitCodes.REJECTED, "refused: replica " + rc.replica() + " is running on " + data + " ("
                        + running.get() + "): stop it first (SIGTERM, or systemctl stop)");
            }
            Path store = data.resolve("store");
            Path existing = store.resolve("store.mv");
            if (Files.exists(existing) && !force) {
                return fail(ExitCodes.REJECTED, "refused: " + store + " already holds a store (" + describe(existing)
                        + "): --force replaces it and keeps it beside as store.before-restore-TIME");
            }
            String stamp = LocalDateTime.now().format(STAMP);
            if (Files.exists(store)) {
                Files.move(store, data.resolve("store.before-restore-" + stamp));
            }
            Files.move(work.resolve("store"), store, StandardCopyOption.ATOMIC_MOVE);
            Path key = data.resolve(BackupArchive.GATEWAY_KEY);
            Path restoredKey = work.resolve(BackupArchive.GATEWAY_KEY);
            if (Files.exists(restoredKey)) {
                if (Files.exists(key) && Files.mismatch(key, restoredKey) != -1) {
                    Files.move(key, data.resolve(BackupArchive.GATEWAY_KEY + ".before-restore-" + stamp));
                }
                Files.move(restoredKey, key, StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("restored replica " + m.replica() + " (node " + m.nodeId() + ") of subnet " + m.subnetId()
                    + " from the backup of " + m.createdAt());
            System.out.println("finalized heights " + m.lowestHeight() + ".." + m.highestHeight() + ", checkpoints "
                    + m.checkpoints() + " into " + store);
            System.out.println("start the replica: it catches up from its peers");
            return ExitCodes.OK;
        } finally {
            BackupCheck.deleteTree(work);
        }
    }

    private static String describe(Path storeFile) {
        try {
            StoreSummary s = StoreSummary.of(storeFile);
            return s.chainRange().map(r -> "finalized heights " + r[0] + ".." + r[1]).orElse("no finalized height");
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static int fail(int code, String message) {
        System.err.println("outcalls restore: " + message);
        return code;
    }
}
