package org.outcalls.replica.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.consensus.ConsensusStore;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's disk: the finalized chain (each height's proposal, notarization and finalization
 * frames), what this replica signed above its finalized height, and state checkpoints — in one
 * H2 MVStore file ({@code store.mv}).
 *
 * <p>Why MVStore: pure Java and an OSGi bundle (no native code to ship per platform, unlike
 * RocksDB or LMDB); an append-only log of checksummed chunks where a commit becomes visible only
 * when its chunk is completely written, so a process killed at any instant reopens at its last
 * complete commit; ordered maps keyed by height, which is exactly the access pattern (append at
 * the top, prune at the bottom, read a range); maintained with H2 and small enough to embed.
 *
 * <p>Consistency across a kill: every operation here is one commit (or, for a checkpoint, chunk
 * commits followed by one commit of its completion record; an incomplete checkpoint is deleted at
 * open). Own artifacts are committed before {@link #signed} returns, so before they are sent.
 * Disk use is bounded by the retention: blocks older than {@code retainHeights} below the tip
 * (never above the newest checkpoint, which a restart replays from) and all but the newest
 * {@code retainCheckpoints} checkpoints are deleted, and the file is compacted as it thins out.
 *
 * <p>Single-threaded use (the replica's protocol thread), except {@link #close()}.
 */
public final class ReplicaStore implements ConsensusStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaStore.class);
    private static final int CHUNK = 1 << 20;
    private static final String CHECKPOINT_PREFIX = "checkpoint.";
    /**
     * Finalized heights a state sync fetches, ending at a checkpoint's: the block and the default
     * ancestry depth (64) of ancestors plus one, so payloads above it validate as on any replica.
     * The chain is kept that far below the newest checkpoint so peers can serve it.
     */
    public static final int SYNC_ANCESTRY = 66;

    /** A complete checkpoint: the state at {@code height} with its hash. */
    public record Checkpoint(long height, byte[] stateHash, byte[] bytes) {
    }

    private final Path file;
    private final MVStore store;
    private final StoreSettings settings;
    private final MVMap<String, byte[]> meta;
    private final MVMap<Long, byte[]> chain;
    private final MVMap<Long, byte[]> signed;
    /** height → u32 length, hash of bytes, 32-byte state hash, u32 chunks: present only once the checkpoint is whole. */
    private final MVMap<Long, byte[]> checkpoints;
    /** height → the catch-up package of that checkpoint (kept and pruned with it). */
    private final MVMap<Long, byte[]> cups;
    private long commitsSinceCompaction;

    private ReplicaStore(Path file, MVStore store, StoreSettings settings) {
        this.file = file;
        this.store = store;
        this.settings = settings;
        this.meta = store.openMap("meta");
        this.chain = store.openMap("chain");
        this.signed = store.openMap("signed");
        this.checkpoints = store.openMap("checkpoints");
        this.cups = store.openMap("cups");
    }

    /**
     * Opens (or creates) the store in {@code dir}.
     *
     * @throws IOException if the store belongs to another subnet, has an unknown format, or cannot be opened
     */
    public static ReplicaStore open(Path dir, byte[] subnetId, PublicKey self, StoreSettings settings) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("store.mv");
        MVStore mv;
        try {
            mv = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        } catch (RuntimeException e) {
            throw new IOException("cannot open the replica store " + file + ": " + e.getMessage(), e);
        }
        mv.setRetentionTime(settings.chunkRetentionMillis());
        ReplicaStore s = new ReplicaStore(file, mv, settings);
        try {
            s.init(subnetId, self);
        } catch (IOException | RuntimeException e) {
            mv.closeImmediately();
            throw e;
        }
        return s;
    }

    private void init(byte[] subnetId, PublicKey self) throws IOException {
        if (meta.get("format") == null) {
            StoreFormat.initialize(meta, System.currentTimeMillis());
            meta.put("subnet", subnetId.clone());
            meta.put("node", self.bytes());
            commit();
            LOG.info("new replica store {} (format {})", file, StoreFormat.current());
            return;
        }
        int found = StoreFormat.recorded(file, meta);
        StoreFormat.checkReadable(file, found);
        boolean changed = false;
        if (found < StoreFormat.current()) {
            // every step and the checks below land in the one commit at the end: a crash before it
            // leaves the old format intact, and the next start migrates again
            List<String> steps = StoreFormat.migrate(meta, found, System.currentTimeMillis());
            CrashPoints.reached(CrashPoints.MIGRATION);
            LOG.info("replica store {}: migrating format {}", file, String.join(", ", steps));
            changed = true;
        }
        if (!Arrays.equals(meta.get("subnet"), subnetId)) {
            throw new IOException("replica store " + file + " belongs to subnet " + HexFormat.of().formatHex(meta.get("subnet"))
                    + ", not to " + HexFormat.of().formatHex(subnetId) + ": point the replica at its own data folder");
        }
        if (!Arrays.equals(meta.get("node"), self.bytes())) {
            // A store copied from another replica (replacing a host): its chain and checkpoints are
            // good, what that replica signed is not ours to resume.
            LOG.warn("replica store {} was written by node {}; keeping its chain and checkpoints, dropping what that "
                    + "node signed", file, PublicKey.wrap(meta.get("node")).nodeId());
            signed.clear();
            meta.put("node", self.bytes());
            changed = true;
        }
        for (String name : new TreeSet<>(store.getMapNames())) {
            if (name.startsWith(CHECKPOINT_PREFIX)) {
                long h = Long.parseLong(name.substring(CHECKPOINT_PREFIX.length()));
                if (!checkpoints.containsKey(h)) {
                    LOG.warn("replica store {}: removing the incomplete checkpoint at height {} (the process stopped "
                            + "while writing it)", file, h);
                    store.removeMap(name);
                    changed = true;
                }
            }
        }
        if (changed) {
            commit();
        }
        LOG.info("opened replica store {} (format {}): finalized heights {}..{}, checkpoints at {}", file,
                StoreFormat.current(), chain.isEmpty() ? "-" : chain.firstKey(), chain.isEmpty() ? "-" : chain.lastKey(),
                checkpoints.keySet());
    }

    // ------------------------------------------------------------------ consensus

    @Override
    public List<ArchivedHeight> newest(int count) {
        List<ArchivedHeight> out = new ArrayList<>();
        if (chain.isEmpty()) {
            return out;
        }
        long from = Math.max(chain.firstKey(), chain.lastKey() - count + 1);
        for (long h = from; h <= chain.lastKey(); h++) {
            out.add(archived(h));
        }
        return out;
    }

    @Override
    public List<byte[]> signedAbove(long height) {
        List<byte[]> out = new ArrayList<>();
        for (Long key : keysFrom(signed, height + 1, Long.MAX_VALUE)) {
            try {
                CanonicalReader r = new CanonicalReader(signed.get(key));
                int count = r.u32(1 << 16, "own artifacts");
                for (int i = 0; i < count; i++) {
                    out.add(r.bytes(Integer.MAX_VALUE, "own artifact"));
                }
            } catch (DecodeException ex) {
                throw new IllegalStateException("replica store " + file + ": own artifacts at height " + key
                        + " do not decode: " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    @Override
    public void signed(long height, byte[] frame) {
        List<byte[]> frames = new ArrayList<>();
        byte[] old = signed.get(height);
        if (old != null) {
            try {
                CanonicalReader r = new CanonicalReader(old);
                int count = r.u32(1 << 16, "own artifacts");
                for (int i = 0; i < count; i++) {
                    frames.add(r.bytes(Integer.MAX_VALUE, "own artifact"));
                }
            } catch (DecodeException e) {
                throw new IllegalStateException(e);
            }
        }
        frames.add(frame);
        CanonicalWriter w = new CanonicalWriter(64 + frames.stream().mapToInt(f -> f.length + 4).sum());
        w.u32(frames.size());
        frames.forEach(w::bytes);
        signed.put(height, w.toByteArray());
        commit();
    }

    @Override
    public void finalized(ArchivedHeight h) {
        chain.put(h.height(), h.encode());
        keysFrom(signed, Long.MIN_VALUE, h.height()).forEach(signed::remove);
        CrashPoints.reached(CrashPoints.BLOCK_UNCOMMITTED);
        commit();
        CrashPoints.reached(CrashPoints.BLOCK);
    }

    @Override
    public ArchivedHeight archived(long height) {
        byte[] b = chain.get(height);
        if (b == null) {
            return null;
        }
        try {
            return ArchivedHeight.decode(b);
        } catch (DecodeException e) {
            throw new IllegalStateException("replica store " + file + ": height " + height + " does not decode: "
                    + e.getMessage(), e);
        }
    }

    /** The lowest and highest finalized height kept, or empty. */
    public Optional<long[]> chainRange() {
        return chain.isEmpty() ? Optional.empty() : Optional.of(new long[] {chain.firstKey(), chain.lastKey()});
    }

    // ------------------------------------------------------------------ checkpoints

    public StoreSettings settings() {
        return settings;
    }

    /** Whether the state after {@code height} is due for a checkpoint. */
    public boolean checkpointDue(long height) {
        return height > 0 && height % settings.checkpointInterval() == 0 && !checkpoints.containsKey(height);
    }

    /**
     * Writes a checkpoint in chunk commits, then its completion record in a last commit, then
     * prunes by the retention. A kill before the last commit leaves an incomplete checkpoint that
     * {@link #open} deletes; the previous checkpoints are untouched.
     */
    public void checkpoint(long height, byte[] stateHash, byte[] bytes) {
        writeCheckpoint(height, stateHash, bytes, true);
        prune();
        commit();
        compactIfSparse();
    }

    /** The chunks and then the completion record (committing after each chunk if {@code commitChunks}). */
    private void writeCheckpoint(long height, byte[] stateHash, byte[] bytes, boolean commitChunks) {
        String name = CHECKPOINT_PREFIX + height;
        if (store.hasMap(name)) {
            store.removeMap(name);
        }
        MVMap<Integer, byte[]> m = store.openMap(name);
        int chunks = 0;
        for (int off = 0; off < bytes.length || chunks == 0; off += CHUNK) {
            m.put(chunks++, Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + CHUNK)));
            if (commitChunks) {
                commit();
                CrashPoints.reached(CrashPoints.CHECKPOINT);
            }
        }
        checkpoints.put(height, new CanonicalWriter(80).u32(bytes.length).hash(Hash.sha256(bytes)).fixed(stateHash)
                .u32(chunks).toByteArray());
    }

    /** The checkpoint at {@code height} if it is kept and reads back intact. */
    public Optional<Checkpoint> checkpointAt(long height) {
        if (!checkpoints.containsKey(height)) {
            return Optional.empty();
        }
        try {
            return Optional.of(readCheckpoint(height));
        } catch (DecodeException | RuntimeException e) {
            LOG.warn("replica store {}: checkpoint at height {} is unreadable ({})", file, height, e.getMessage());
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ catch-up packages and state sync

    /** Keeps the catch-up package of the checkpoint at {@code height} (ignored if that checkpoint is gone). */
    public void putCup(long height, byte[] cup) {
        if (checkpoints.containsKey(height)) {
            cups.put(height, cup.clone());
            commit();
        }
    }

    /** The newest kept catch-up package whose checkpoint is kept too. */
    public Optional<byte[]> newestCup() {
        Long h = cups.isEmpty() ? null : cups.lastKey();
        return h == null ? Optional.empty() : Optional.of(cups.get(h).clone());
    }

    /**
     * Replaces what this store holds with a state fetched from peers, in one commit (a kill leaves
     * either the old store or the new one): the checkpoint at {@code height}, its catch-up package,
     * and the finalized heights {@code ancestry} (contiguous, ending at {@code height}) as the chain;
     * older checkpoints, the old chain and what this replica signed up to {@code height} are dropped.
     */
    public void installSynced(long height, byte[] stateHash, byte[] bytes, byte[] cup, List<ArchivedHeight> ancestry) {
        if (ancestry.isEmpty() || ancestry.get(ancestry.size() - 1).height() != height) {
            throw new IllegalArgumentException("ancestry: must end at the synced height " + height);
        }
        for (Long old : List.copyOf(checkpoints.keySet())) {
            checkpoints.remove(old);
            store.removeMap(CHECKPOINT_PREFIX + old);
        }
        cups.clear();
        chain.clear();
        keysFrom(signed, Long.MIN_VALUE, height).forEach(signed::remove);
        writeCheckpoint(height, stateHash, bytes, false);
        cups.put(height, cup.clone());
        ancestry.forEach(a -> chain.put(a.height(), a.encode()));
        commit();
        LOG.info("replica store {}: installed the synced state at height {} with {} finalized heights below it", file,
                height, ancestry.size() - 1);
    }

    /** The newest complete checkpoint that reads back intact, if any; damaged ones are skipped with a warning. */
    public Optional<Checkpoint> latestCheckpoint() {
        for (Long h : checkpoints.keySet().stream().sorted(java.util.Comparator.reverseOrder()).toList()) {
            try {
                return Optional.of(readCheckpoint(h));
            } catch (DecodeException | RuntimeException e) {
                LOG.warn("replica store {}: checkpoint at height {} is unreadable ({}); trying an older one", file, h,
                        e.getMessage());
            }
        }
        return Optional.empty();
    }

    private Checkpoint readCheckpoint(long h) throws DecodeException {
        CanonicalReader r = new CanonicalReader(checkpoints.get(h));
        int length = r.u32(Integer.MAX_VALUE, "checkpoint length");
        Hash hash = r.hash();
        byte[] stateHash = r.fixed(32);
        int chunks = r.u32(1 << 20, "chunk count");
        MVMap<Integer, byte[]> m = store.openMap(CHECKPOINT_PREFIX + h);
        byte[] out = new byte[length];
        int off = 0;
        for (int i = 0; i < chunks; i++) {
            byte[] c = m.get(i);
            if (c == null || off + c.length > length) {
                throw new DecodeException(off, "chunk " + i + " missing or too long");
            }
            System.arraycopy(c, 0, out, off, c.length);
            off += c.length;
        }
        if (off != length || !Hash.sha256(out).equals(hash)) {
            throw new DecodeException(off, "checkpoint bytes do not match their recorded hash");
        }
        return new Checkpoint(h, stateHash, out);
    }

    public List<Long> checkpointHeights() {
        return List.copyOf(checkpoints.keySet());
    }

    private void prune() {
        List<Long> heights = new ArrayList<>(checkpoints.keySet());
        while (heights.size() > settings.retainCheckpoints()) {
            long old = heights.remove(0);
            checkpoints.remove(old);
            cups.remove(old);
            store.removeMap(CHECKPOINT_PREFIX + old);
        }
        if (chain.isEmpty() || heights.isEmpty()) {
            return; // without a checkpoint a restart replays from genesis: keep every block
        }
        long keepFrom = Math.min(chain.lastKey() - settings.retainHeights() + 1,
                Math.min(heights.get(0) + 1, heights.get(heights.size() - 1) - SYNC_ANCESTRY + 1));
        // a restart replays from the oldest kept checkpoint at worst; a syncing peer fetches the newest's ancestry
        List<Long> old = keysFrom(chain, Long.MIN_VALUE, keepFrom - 1);
        old.forEach(chain::remove);
        if (!old.isEmpty()) {
            LOG.debug("replica store {}: pruned finalized heights {}..{}", file, old.get(0), old.get(old.size() - 1));
        }
    }

    /** Keys in {@code [from, to]}, ascending. */
    private static List<Long> keysFrom(MVMap<Long, byte[]> map, long from, long to) {
        List<Long> out = new ArrayList<>();
        if (map.isEmpty()) {
            return out;
        }
        java.util.Iterator<Long> it = map.keyIterator(Math.max(from, map.firstKey()));
        while (it.hasNext()) {
            long k = it.next();
            if (k > to) {
                break;
            }
            out.add(k);
        }
        return out;
    }

    private void compactIfSparse() {
        if (++commitsSinceCompaction < 8) {
            return;
        }
        commitsSinceCompaction = 0;
        try {
            store.compact(75, 16 << 20);
        } catch (RuntimeException e) {
            LOG.warn("replica store {}: compaction failed: {}", file, e.toString());
        }
    }

    private void commit() {
        store.commit();
        if (settings.sync()) {
            store.sync();
        }
    }

    /**
     * Copies the store as of its last commit into {@code zip} (one entry, {@code store.mv}) with
     * MVStore's own online backup, which reads through the store's open file channel with space reuse
     * off. Called on the protocol thread, the store's only writer, so no commit lands while it copies:
     * the copy is the file exactly as the last commit left it. (Reading through a second channel of
     * our own would be no better, and closing it would drop the file lock MVStore holds.)
     */
    public void backupTo(Path zip) throws IOException {
        commit();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.setLevel(java.util.zip.Deflater.NO_COMPRESSION); // a copy, not a compression: keep the pause short
            store.getFileStore().backup(z);
        }
    }

    /** The store in {@code file}, already open read-only as {@code mv}, for {@link StoreSummary}: no writes. */
    static ReplicaStore readOnly(Path file, MVStore mv) {
        return new ReplicaStore(file, mv, StoreSettings.DEFAULT);
    }

    MVMap<String, byte[]> meta() {
        return meta;
    }

    /** The format this store is in (the current one, once open). */
    public int format() {
        return StoreFormat.current();
    }

    /** Bytes of the store file on disk. */
    public long fileBytes() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }
}
