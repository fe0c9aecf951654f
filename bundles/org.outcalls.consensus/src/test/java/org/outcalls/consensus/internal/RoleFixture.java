package org.outcalls.consensus.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.ConsensusConfig;
import org.outcalls.consensus.ConsensusStore;
import org.outcalls.consensus.FaultMode;
import org.outcalls.consensus.FinalizedBlock;
import org.outcalls.consensus.internal.Wire.Msg;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;
import org.outcalls.consensus.internal.Wire.Signed;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;

/**
 * One replica's roles wired as the engine wires them, over hand-made state and without a network:
 * n = 4 (f = 1, threshold 3), Δ = 100 ms, heartbeat 1 s, a clock the test sets, a {@link TestSection}
 * and a channel that records what is sent. The helpers make other replicas' signed artifacts.
 */
public final class RoleFixture {
    public static final byte[] SUBNET = "roles".getBytes(StandardCharsets.UTF_8);
    public static final long START = 1_700_000_000_000_000_000L;
    public static final long DELTA = Duration.ofMillis(100).toNanos();
    public static final long HEARTBEAT = Duration.ofSeconds(1).toNanos();
    public static final long TOLERANCE = Duration.ofMillis(500).toNanos();
    public static final int N = 4;

    /** A frame sent to {@code peer} (−1: broadcast). */
    public record Sent(int peer, Msg msg) {
    }

    public final List<NodeKey> keys = new ArrayList<>();
    public final List<PublicKey> members = new ArrayList<>();
    public final int self;
    public long now = START;
    public final List<Sent> sent = new ArrayList<>();
    public final List<FinalizedBlock> delivered = new ArrayList<>();
    public final TestSection section = new TestSection();
    public final Ranking ranking = new Ranking(SUBNET, N);

    final ConsensusConfig config;
    final Params params;
    final ConsensusState state;
    final Sections sections;
    final Publisher publisher;
    final PeerGuard guard;
    final Validator validator;
    final Purger purger;
    final Retransmission retransmission;
    final CatchUp catchUp;
    final Finalizer finalizer;
    final Notary notary;
    final BlockMaker maker;

    public RoleFixture(int self) {
        this(self, null);
    }

    public RoleFixture(int self, ConsensusStore store) {
        this.self = self;
        for (int i = 0; i < N; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) (i + 1);
            keys.add(NodeKey.fromSeed(seed));
            members.add(keys.get(i).publicKey());
        }
        config = new ConsensusConfig(SUBNET, members, self, keys.get(self), Duration.ofNanos(DELTA),
                Duration.ofNanos(HEARTBEAT), Duration.ofNanos(TOLERANCE), 16, FaultMode.NONE);
        params = Params.of(config);
        state = ConsensusState.create(params, ConsensusEngine.WINDOW, 3L * CatchUp.CATCH_UP_BYTES);
        sections = new Sections(List.of(section), state);
        Channel out = new Recorder();
        publisher = new Publisher(state, out, store);
        guard = new PeerGuard(params);
        validator = new Validator(state, sections, ranking, guard, () -> now);
        purger = new Purger(state, validator);
        retransmission = new Retransmission(state, out);
        catchUp = new CatchUp(state, out, store, () -> now);
        finalizer = new Finalizer(state, publisher, purger, retransmission, delivered::add, store, () -> now);
        notary = new Notary(state, publisher, () -> now);
        maker = new BlockMaker(state, sections, publisher, ranking, () -> now);
        state.heightState(1).roundStart = START;
    }

    public Finalizer finalizer() {
        return finalizer;
    }

    public Notary notary() {
        return notary;
    }

    public BlockMaker maker() {
        return maker;
    }

    public Publisher publisher() {
        return publisher;
    }

    public ConsensusConfig config() {
        return config;
    }

    /** The finalized tip's hash. */
    public Hash tip() {
        return state.chain.tip().hash();
    }

    public long notarizedHeight() {
        return state.notarizedHeight();
    }

    /** The block of the replica with {@code rank} at {@code height} on {@code parent}, {@code ms} after START. */
    public Block block(long height, Hash parent, int rank, long ms, String payload) {
        TreeMap<String, byte[]> p = new TreeMap<>();
        if (payload != null) {
            p.put(TestSection.NAME, TestSection.bytes(payload));
        }
        return new Block(height, parent, rank, ranking.makerOf(height, rank), START + ms * 1_000_000, p);
    }

    /** {@code b} signed by its maker. */
    public Proposal proposal(Block b) {
        return signedBy(b, b.maker());
    }

    public Proposal signedBy(Block b, int signer) {
        Hash h = b.hash();
        return Wire.proposal(b, h, keys.get(signer).sign(org.outcalls.crypto.Domain.BLOCK_PROPOSAL,
                Wire.proposalBody(SUBNET, b.height(), h)));
    }

    /** A share of {@code signer} ({@link Wire#NOTARIZATION_SHARE} or {@link Wire#FINALIZATION_SHARE}). */
    public Share share(int type, long height, Hash hash, int signer) {
        return Wire.share(type, height, hash, signer,
                keys.get(signer).sign(Wire.shareDomain(type), Wire.shareBody(type, SUBNET, height, hash)));
    }

    /** Records {@code a} as validated, as the validator does on ACCEPT. */
    public void accept(Signed a) {
        state.pool.addValidated(a);
        state.add(a);
    }

    /** Records shares of {@code block} from every replica but this one: a notarization (or finalization). */
    public void quorum(int type, Proposal block) {
        for (int i = 0; i < N; i++) {
            if (i != self) {
                accept(share(type, block.height(), block.hash(), i));
            }
        }
    }

    /** Lets the notarized height follow what is notarized now. */
    public void advanceNotarized() {
        state.advanceNotarized(now);
    }

    public void roundStart(long height, long ms) {
        state.heightState(height).roundStart = START + ms * 1_000_000;
    }

    public void at(long ms) {
        now = START + ms * 1_000_000;
    }

    /** The frames sent since the last call, decoded. */
    public List<Sent> takeSent() {
        List<Sent> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    /** The shares of {@code type} among {@code frames}. */
    public static List<Share> shares(List<Sent> frames, int type) {
        List<Share> out = new ArrayList<>();
        for (Sent s : frames) {
            if (s.msg() instanceof Share sh && sh.type() == type) {
                out.add(sh);
            }
        }
        return out;
    }

    public static List<Proposal> proposals(List<Sent> frames) {
        List<Proposal> out = new ArrayList<>();
        for (Sent s : frames) {
            if (s.msg() instanceof Proposal p) {
                out.add(p);
            }
        }
        return out;
    }

    private final class Recorder implements Channel {
        @Override
        public void send(int peer, byte[] frame) {
            sent.add(new Sent(peer, decode(frame)));
        }

        @Override
        public void broadcast(byte[] frame) {
            sent.add(new Sent(-1, decode(frame)));
        }

        @Override
        public void receiver(FrameReceiver receiver) {
        }
    }

    /** Decodes a sent frame; a frame that does not decode (a forgery) is recorded as null. */
    private static Msg decode(byte[] frame) {
        try {
            return Wire.decode(frame);
        } catch (DecodeException | RuntimeException e) {
            return null;
        }
    }
}
