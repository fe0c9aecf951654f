package org.outcalls.replica.internal.statesync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.consensus.Block;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.cup.CatchUpPackage;
import org.outcalls.replica.internal.state.ReplicatedState;
import org.outcalls.replica.internal.state.StateCodec;
import org.outcalls.replica.internal.statesync.SyncProgress.Phase;
import org.outcalls.replica.internal.statesync.SyncWire.ChunkReply;
import org.outcalls.replica.internal.statesync.SyncWire.CupReply;
import org.outcalls.replica.internal.statesync.SyncWire.CupRequest;
import org.outcalls.replica.internal.statesync.SyncWire.HeightReply;
import org.outcalls.replica.internal.statesync.SyncWire.HeightRequest;
import org.outcalls.replica.internal.statesync.SyncWire.ManifestReply;
import org.outcalls.replica.internal.statesync.SyncWire.ManifestRequest;
import org.outcalls.replica.internal.statesync.SyncWire.Msg;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Clock;
import org.outcalls.transport.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One state sync: asks every peer for its newest catch-up package, decides ({@link CupChoice}),
 * then fetches from the peers that offered the chosen package its checkpoint's manifest (checked
 * against the hash the package signs), the chunks ({@link ChunkFetch}: each checked on arrival),
 * and the finalized heights just below and at the package's height (each block checked by its hash:
 * the package signs the top one, each block names its parent's), checks the whole state against the
 * signed state hash, and installs it in the store in one commit. Protocol thread.
 */
public final class SyncClient {
    /** How the sync ended: with a package installed, found unnecessary, or failed (then retried later). */
    public record Outcome(Optional<CatchUpPackage> installed, String failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    /**
     * How long to ask for packages: until every peer answered, or f + 1 did (one of them honest) and
     * {@link #PROBE_SETTLE} passed, or {@link #PROBE} passed (then it decides on what it has). A peer
     * that was down a while reconnects to a restarted replica only after its back-off (up to 5 s).
     */
    static final Duration PROBE = Duration.ofSeconds(30);
    static final Duration PROBE_SETTLE = Duration.ofSeconds(2);
    static final Duration PROBE_RESEND = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(SyncClient.class);

    private final int self;
    private final int members;
    private final Hash subnetId;
    private final List<PublicKey> trusted;
    private final int ancestry;
    private final ReplicaStore store;
    private final Channel channel;
    private final Scheduler scheduler;
    private final Clock clock;
    private final SyncProgress progress;
    private final Map<Integer, CupReply> replies = new TreeMap<>();
    private Consumer<Outcome> then;
    private Phase phase = Phase.DONE;
    private CupChoice.Choice choice;
    private StateManifest manifest;
    private ChunkFetch chunks;
    private byte[] state;
    private final List<ArchivedHeight> heights = new ArrayList<>();
    private Hash expected;
    private int asked = -1;
    private int attempt;
    private Scheduler.Cancellable timer;
    private long probeStarted;
    private boolean checkOnly;

    /**
     * @param trusted  the members this replica knows; {@code self} is its index among them
     * @param ancestry finalized heights to fetch ending at the package's (ancestry depth + 1, for payload validation)
     */
    public SyncClient(int self, Hash subnetId, List<PublicKey> trusted, int ancestry, ReplicaStore store, Channel channel,
                      Scheduler scheduler, Clock clock, SyncProgress progress) {
        this.self = self;
        this.members = trusted.size();
        this.subnetId = subnetId;
        this.trusted = List.copyOf(trusted);
        this.ancestry = ancestry;
        this.store = store;
        this.channel = channel;
        this.scheduler = scheduler;
        this.clock = clock;
        this.progress = progress;
    }

    /** Starts a sync; {@code then} runs on the protocol thread once it ended. */
    public void run(Consumer<Outcome> then) {
        this.checkOnly = false;
        start(then);
    }

    /**
     * Only asks the peers and decides: {@code then} gets an outcome whose failure is null if no sync is
     * needed, and says why one is (a running replica then stops its node and syncs).
     */
    public void check(Consumer<Outcome> then) {
        this.checkOnly = true;
        start(then);
    }

    private void start(Consumer<Outcome> then) {
        this.then = then;
        replies.clear();
        heights.clear();
        phase = Phase.PROBING;
        progress.phase(Phase.PROBING);
        probeStarted = clock.nanos();
        probe();
    }

    private void probe() {
        if (phase != Phase.PROBING) {
            return;
        }
        if (probeDone()) {
            decide();
            return;
        }
        channel.broadcast(SyncWire.encode(new CupRequest()));
        timer = scheduler.schedule(PROBE_RESEND, this::probe);
    }

    private boolean probeDone() {
        long elapsed = clock.nanos() - probeStarted;
        return replies.size() >= members - 1 || elapsed >= PROBE.toNanos()
                || (replies.size() >= (members - 1) / 3 + 1 && elapsed >= PROBE_SETTLE.toNanos());
    }

    void onReply(int from, Msg m) {
        if (m instanceof CupReply r && phase == Phase.PROBING) {
            replies.put(from, r);
            if (replies.size() >= members - 1) {
                timer.cancel();
                decide();
            }
        } else if (m instanceof ManifestReply r && phase == Phase.MANIFEST && from == asked) {
            onManifest(from, r);
        } else if (m instanceof ChunkReply r && phase == Phase.CHUNKS) {
            chunks.onReply(from, r);
        } else if (m instanceof HeightReply r && phase == Phase.BLOCKS && from == asked) {
            onHeight(from, r);
        }
    }

    private void decide() {
        long tip = store.chainRange().map(r -> r[1]).orElse(0L);
        boolean empty = store.chainRange().isEmpty() && store.latestCheckpoint().isEmpty();
        Optional<CupChoice.Choice> c = CupChoice.choose(subnetId, trusted, tip, empty, replies, (members - 1) / 3);
        if (c.isEmpty()) {
            if (!checkOnly) {
                LOG.info("replica {}: no state sync needed (stored tip {}, {} peers answered{})", self, tip,
                        replies.size(), empty ? ", none with a catch-up package this replica trusts above it" : "");
            }
            end(Phase.NOT_NEEDED, new Outcome(Optional.empty(), null));
            return;
        }
        choice = c.get();
        CatchUpPackage cup = choice.cup();
        if (checkOnly) {
            end(Phase.NOT_NEEDED, new Outcome(Optional.empty(), "the peers offer the catch-up package at height "
                    + cup.height() + " and fewer than f + 1 of them keep height " + (tip + 1)));
            return;
        }
        LOG.info("replica {}: state sync to the catch-up package at height {} (state hash {}, registry version {}, signed "
                + "by {} of {}), offered by peers {}; stored tip {}", self, cup.height(), cup.content().stateHash(),
                cup.content().registryVersion(), cup.signatures().size(), cup.content().n(), choice.holders(), tip);
        phase = Phase.MANIFEST;
        progress.phase(Phase.MANIFEST);
        attempt = 0;
        askManifest();
    }

    private void askManifest() {
        if (attempt >= choice.holders().size()) {
            fail("no peer served the manifest of the checkpoint at height " + choice.cup().height());
            return;
        }
        asked = choice.holders().get(attempt++);
        channel.send(asked, SyncWire.encode(new ManifestRequest(choice.cup().height())));
        int was = asked;
        timer = scheduler.schedule(ChunkFetch.TIMEOUT, () -> {
            if (phase == Phase.MANIFEST && asked == was) {
                askManifest();
            }
        });
    }

    private void onManifest(int from, ManifestReply r) {
        timer.cancel();
        StateManifest m = null;
        try {
            m = r.manifest() == null ? null : StateManifest.decode(r.manifest());
        } catch (DecodeException e) {
            m = null;
        }
        if (m == null || m.height() != choice.cup().height() || !m.hash().equals(choice.cup().content().manifestHash())) {
            if (r.manifest() != null) {
                LOG.warn("replica {}: peer {} served a manifest that is not the one the catch-up package signs: blamed",
                        self, from);
                progress.blame(from, "served a manifest the catch-up package does not sign");
            } else {
                progress.lacking(from);
            }
            askManifest();
            return;
        }
        manifest = m;
        int top = (int) Math.min(ancestry, choice.cup().height());
        progress.target(m.height(), choice.cup().content().stateHash().hex(), m.count(), top);
        LOG.info("replica {}: state sync: fetching {} chunks ({} bytes) from peers {}", self, m.count(), m.totalBytes(),
                choice.holders());
        phase = Phase.CHUNKS;
        progress.phase(Phase.CHUNKS);
        chunks = new ChunkFetch(self, m.height(), m, choice.holders(), channel, scheduler, progress, this::onChunks,
                this::fail);
        chunks.start();
    }

    private void onChunks(byte[] bytes) {
        state = bytes;
        phase = Phase.BLOCKS;
        progress.phase(Phase.BLOCKS);
        expected = choice.cup().content().blockHash();
        attempt = 0;
        askHeight();
    }

    private long nextHeight() {
        return choice.cup().height() - heights.size();
    }

    private void askHeight() {
        long h = nextHeight();
        if (h < 1 || heights.size() >= ancestry) {
            install();
            return;
        }
        if (attempt >= choice.holders().size()) {
            if (heights.isEmpty()) {
                fail("no peer served the finalized block at height " + h);
            } else {
                LOG.info("replica {}: no peer keeps height {}: the synced chain starts at {}", self, h, h + 1);
                install();
            }
            return;
        }
        asked = choice.holders().get((int) ((h + attempt++) % choice.holders().size()));
        channel.send(asked, SyncWire.encode(new HeightRequest(h)));
        int was = asked;
        timer = scheduler.schedule(ChunkFetch.TIMEOUT, () -> {
            if (phase == Phase.BLOCKS && asked == was && nextHeight() == h) {
                askHeight();
            }
        });
    }

    private void onHeight(int from, HeightReply r) {
        if (r.height() != nextHeight()) {
            return;
        }
        timer.cancel();
        if (r.archived() == null) {
            askHeight();
            return;
        }
        try {
            ArchivedHeight a = ArchivedHeight.decode(r.archived());
            Block b = a.block();
            if (a.height() != r.height() || !a.hash().equals(expected) || !b.hash().equals(expected)) {
                throw new DecodeException(0, "not the block the catch-up package's chain names at height " + r.height());
            }
            heights.add(new ArchivedHeight(a.height(), a.hash(), a.proposal(), null, null));
            expected = b.parent();
            attempt = 0;
            progress.heightVerified();
        } catch (DecodeException | RuntimeException e) {
            LOG.warn("replica {}: peer {} served height {} that does not verify ({}): blamed", self, from, r.height(),
                    e.getMessage());
            progress.blame(from, "served height " + r.height() + " that is not on the signed chain");
        }
        askHeight();
    }

    private void install() {
        phase = Phase.INSTALLING;
        progress.phase(Phase.INSTALLING);
        CatchUpPackage cup = choice.cup();
        ReplicatedState s;
        try {
            s = StateCodec.decode(state);
        } catch (DecodeException e) {
            fail("the verified chunks do not decode as a checkpoint: " + e.getMessage());
            return;
        }
        Hash hash = Hash.wrap(s.hash());
        if (s.height() != cup.height() || !hash.equals(cup.content().stateHash())
                || !s.subnetId().equals(subnetId.hex())) {
            fail("the fetched state has height " + s.height() + " and hash " + hash + ", the package signs "
                    + cup.height() + " and " + cup.content().stateHash());
            return;
        }
        List<ArchivedHeight> chain = new ArrayList<>(heights);
        Collections.reverse(chain);
        store.installSynced(cup.height(), hash.bytes(), state, cup.encode(), chain);
        LOG.info("replica {}: state sync done: height {}, state hash {}, {} bytes in {} chunks, {} finalized heights",
                self, cup.height(), hash, state.length, manifest.count(), chain.size());
        state = null;
        end(Phase.DONE, new Outcome(Optional.of(cup), null));
    }

    private void fail(String why) {
        LOG.warn("replica {}: state sync failed: {}", self, why);
        progress.error(why);
        if (chunks != null) {
            chunks.cancel();
        }
        end(Phase.FAILED, new Outcome(Optional.empty(), why));
    }

    private void end(Phase p, Outcome outcome) {
        phase = p;
        progress.phase(p);
        if (timer != null) {
            timer.cancel();
        }
        then.accept(outcome);
    }

    /** Whether a sync is running (replies are expected). */
    boolean active() {
        return phase == Phase.PROBING || phase == Phase.MANIFEST || phase == Phase.CHUNKS || phase == Phase.BLOCKS;
    }
}
