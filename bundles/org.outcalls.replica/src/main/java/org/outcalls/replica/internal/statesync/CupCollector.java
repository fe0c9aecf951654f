package org.outcalls.replica.internal.statesync;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.cup.CatchUpPackage;
import org.outcalls.replica.cup.CupContent;
import org.outcalls.replica.cup.CupShare;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this replica's catch-up packages: at each checkpoint it signs the content (height, block,
 * state and manifest hashes, registry version, committee) and sends the share to its peers on the
 * {@code cup} channel; a peer's share counts when it signs exactly the content this replica computed
 * itself and its signature verifies; n − f of them are a package, kept in the store beside the
 * checkpoint (and rewritten as more signatures arrive). A share for a height this replica has not
 * checkpointed yet waits, at most {@link #EARLY_PER_PEER} per peer. The newest own share is sent
 * again every {@link #RESEND} while fewer than n signed, so a lost frame or a restarted peer does not
 * leave a checkpoint without its package. Protocol thread.
 */
public final class CupCollector {
    public static final String CHANNEL = "cup";
    static final Duration RESEND = Duration.ofSeconds(5);
    static final int EARLY_PER_PEER = 2;
    private static final int ROUNDS_KEPT = 3;
    private static final Logger LOG = LoggerFactory.getLogger(CupCollector.class);

    private final int self;
    private final NodeKey key;
    private final Channel channel;
    private final Scheduler scheduler;
    private final ReplicaStore store;
    private final TreeMap<Long, Round> rounds = new TreeMap<>();
    private final Map<Integer, TreeMap<Long, CupShare>> early = new TreeMap<>();
    private final Set<String> reportedMismatches = new HashSet<>();
    private volatile CatchUpPackage newest;
    private Scheduler.Cancellable resend;
    private boolean stopped;

    /** One checkpoint's content as this replica computed it, and the signatures over it so far. */
    private static final class Round {
        final CupContent content;
        final TreeMap<Integer, byte[]> signatures = new TreeMap<>();
        CupShare own;
        int stored;

        Round(CupContent content) {
            this.content = content;
        }
    }

    public CupCollector(int self, NodeKey key, Channel channel, Scheduler scheduler, ReplicaStore store) {
        this.self = self;
        this.key = key;
        this.channel = channel;
        this.scheduler = scheduler;
        this.store = store;
        store.newestCup().ifPresent(b -> {
            try {
                newest = CatchUpPackage.decode(b);
            } catch (DecodeException e) {
                LOG.warn("replica {}: the stored catch-up package does not decode: {}", self, e.getMessage());
            }
        });
    }

    public void start() {
        channel.receiver(this::onFrame);
        resend = scheduler.schedule(RESEND, this::resend);
    }

    public void stop() {
        stopped = true;
        channel.receiver(null);
        if (resend != null) {
            resend.cancel();
        }
    }

    /** The newest package this replica has (made or installed), if any. Any thread. */
    public Optional<CatchUpPackage> newest() {
        return Optional.ofNullable(newest);
    }

    /** This replica wrote the checkpoint {@code content} describes: sign it if it is in the committee, and collect. */
    public void checkpointed(CupContent content) {
        if (rounds.containsKey(content.height())) {
            return;
        }
        Round round = new Round(content);
        rounds.put(content.height(), round);
        while (rounds.size() > ROUNDS_KEPT) {
            rounds.pollFirstEntry();
        }
        int index = content.committee().indexOf(key.publicKey());
        if (index >= 0) {
            round.own = CupShare.sign(content, index, key);
            round.signatures.put(index, round.own.signature());
            channel.broadcast(round.own.encode());
        }
        for (TreeMap<Long, CupShare> waiting : early.values()) {
            CupShare s = waiting.remove(content.height());
            if (s != null) {
                add(round, s);
            }
        }
        early.values().forEach(m -> m.headMap(content.height()).clear());
        maybeStore(round);
    }

    private void onFrame(int from, byte[] frame) {
        CupShare share;
        try {
            share = CupShare.decode(frame);
        } catch (DecodeException | RuntimeException e) {
            LOG.debug("replica {}: undecodable catch-up package share from {}: {}", self, from, e.getMessage());
            return;
        }
        if (share.signer() != from) {
            return; // a share comes from its signer (member indices are the transport's); a relayed one is not needed
        }
        long h = share.content().height();
        Round round = rounds.get(h);
        if (round != null) {
            add(round, share);
        } else if (rounds.isEmpty() || h > rounds.lastKey()) {
            TreeMap<Long, CupShare> waiting = early.computeIfAbsent(from, k -> new TreeMap<>());
            waiting.put(h, share);
            while (waiting.size() > EARLY_PER_PEER) {
                waiting.pollFirstEntry();
            }
        }
    }

    private void add(Round round, CupShare share) {
        if (!share.content().equals(round.content)) {
            if (reportedMismatches.add(share.signer() + "@" + round.content.height())) {
                LOG.warn("replica {}: replica {} signed another catch-up package content at height {} than this replica"
                        + " computed ({} vs {}): not counted", self, share.signer(), round.content.height(),
                        share.content(), round.content);
            }
            return;
        }
        if (round.signatures.containsKey(share.signer()) || !share.verify()) {
            return;
        }
        round.signatures.put(share.signer(), share.signature());
        maybeStore(round);
    }

    private void maybeStore(Round round) {
        int count = round.signatures.size();
        if (count < round.content.threshold() || count <= round.stored) {
            return;
        }
        CatchUpPackage cup = CatchUpPackage.of(round.content, round.signatures);
        store.putCup(round.content.height(), cup.encode());
        if (round.stored == 0) {
            LOG.info("replica {}: catch-up package at height {} (state hash {}, registry version {}) signed by {} of {}",
                    self, round.content.height(), round.content.stateHash(), round.content.registryVersion(), count,
                    round.content.n());
        }
        round.stored = count;
        if (newest == null || newest.height() <= round.content.height()) {
            newest = cup;
        }
    }

    private void resend() {
        if (stopped) {
            return;
        }
        if (!rounds.isEmpty()) {
            Round r = rounds.lastEntry().getValue();
            if (r.own != null && r.signatures.size() < r.content.n()) {
                channel.broadcast(r.own.encode());
            }
        }
        resend = scheduler.schedule(RESEND, this::resend);
    }

    /** After a state sync: the installed package is the newest. */
    public void installed(CatchUpPackage cup) {
        if (newest == null || newest.height() <= cup.height()) {
            newest = cup;
        }
    }
}
