package org.outcalls.replica.internal.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;

/**
 * The replica store's on-disk format: the version a store records ({@code meta["format"]}, one
 * byte since format 1), which versions this release reads, and the steps that bring an older store
 * to the current format.
 *
 * <ul>
 * <li>Format 1: {@code meta} (format, subnet, node), {@code chain}, {@code signed},
 * {@code checkpoints} with one chunk map per checkpoint, {@code cups}.</li>
 * <li>Format 2: format 1 plus {@code meta["history"]}: every format the store has had and when this
 * replica took it up ({@code u32 count, count × (u32 format, i64 unix millis; 0: unknown)}), so an
 * operator can tell from the store (and the log) which releases wrote it.</li>
 * </ul>
 *
 * <p>This release reads the previous format and its own: a release may drop a format only after
 * a release that migrates it has run everywhere. A store of a newer format is refused, never
 * guessed at. Migration changes only the local file, never replicated state, so replicas of
 * different releases compute the same state hashes.
 *
 * <p>The versions are methods, not constants, so that no other class inlines them: an upgrade test
 * recompiles this one class with a bumped {@link #current()} to make "the next release".
 */
final class StoreFormat {
    private static final String FORMAT = "format";
    private static final String HISTORY = "history";

    private StoreFormat() {
    }

    /** The format this release writes. */
    static int current() {
        return 2;
    }

    /** The oldest format this release opens (migrating it). */
    static int oldest() {
        return 1;
    }

    static byte[] record(int format) {
        return new byte[] {(byte) format};
    }

    /** The format recorded in {@code meta}; a store file has it from its first commit on. */
    static int recorded(Path file, MVMap<String, byte[]> meta) throws IOException {
        byte[] f = meta.get(FORMAT);
        if (f == null || f.length != 1) {
            throw new IOException("replica store " + file + " has no readable format record: it is not a replica store");
        }
        return Byte.toUnsignedInt(f[0]);
    }

    /** Refuses a format this release cannot read, saying what to do. */
    static void checkReadable(Path file, int found) throws IOException {
        if (found > current()) {
            throw new IOException("store format " + found + " is newer than this release reads (" + current()
                    + "): upgrade the replica (" + file + ")");
        }
        if (found < oldest()) {
            throw new IOException("store format " + found + " is older than this release reads (" + oldest() + ".."
                    + current() + "): start it once with a release that reads both, or let it state-sync from an "
                    + "empty data folder (" + file + ")");
        }
    }

    /** A new store: the current format, its history starting now. */
    static void initialize(MVMap<String, byte[]> meta, long nowMillis) {
        meta.put(FORMAT, record(current()));
        meta.put(HISTORY, history(List.of(new long[] {current(), nowMillis})));
    }

    /**
     * Brings {@code meta} (and through it the store) from {@code found} to {@link #current()}, step
     * by step, without committing: the caller commits once, so a crash midway leaves the store as it
     * was and the next start migrates again from the start.
     *
     * @return the steps taken, for the log ("1 -> 2")
     */
    static List<String> migrate(MVMap<String, byte[]> meta, int found, long nowMillis) throws IOException {
        List<String> steps = new ArrayList<>();
        for (int from = found; from < current(); from++) {
            int to = from + 1;
            List<long[]> history = from == 1 ? new ArrayList<>(List.of(new long[] {1, 0})) : history(meta);
            // 1 → 2 adds the history (format 1 did not say when it was written: 0). Later steps record themselves in it.
            history.add(new long[] {to, nowMillis});
            meta.put(HISTORY, history(history));
            meta.put(FORMAT, record(to));
            steps.add(from + " -> " + to);
        }
        return steps;
    }

    /** The formats this store has had with the time each was taken up (0: unknown), oldest first. */
    static List<long[]> history(MVMap<String, byte[]> meta) throws IOException {
        byte[] h = meta.get(HISTORY);
        if (h == null) {
            return new ArrayList<>(List.of(new long[] {1, 0}));
        }
        try {
            CanonicalReader r = new CanonicalReader(h);
            int count = r.u32(1 << 10, "history entries");
            List<long[]> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(new long[] {r.u32(255, "format"), r.i64()});
            }
            return out;
        } catch (DecodeException e) {
            throw new IOException("replica store format history does not decode: " + e.getMessage(), e);
        }
    }

    private static byte[] history(List<long[]> entries) {
        CanonicalWriter w = new CanonicalWriter(4 + 12 * entries.size());
        w.u32(entries.size());
        entries.forEach(e -> w.u32((int) e[0]).i64(e[1]));
        return w.toByteArray();
    }
}
