package org.outcalls.consensus.internal.byzantine;

import java.util.Collection;
import java.util.Random;
import java.util.TreeMap;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.ConsensusConfig;
import org.outcalls.consensus.internal.Ranking;
import org.outcalls.consensus.internal.Wire;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.transport.Channel;

/**
 * The FORGE fault mode: once per round, instead of taking part, sends every kind of garbage a
 * malicious replica can make with its own key and what it knows of the chain. Deterministic per
 * (replica, height), so simulated runs replay.
 */
final class Forger {
    private final ConsensusConfig config;
    private final Ranking ranking;
    private final NodeKey key;
    private final int self;
    private final int n;
    private final byte[] subnetId;

    Forger(ConsensusConfig config, Ranking ranking) {
        this.config = config;
        this.ranking = ranking;
        this.key = config.key();
        this.self = config.self();
        this.n = config.n();
        this.subnetId = config.subnetId();
    }

    void forge(Channel out, long height, Block parent, Hash parentHash, Collection<String> sections) {
        Random rnd = new Random(Hash.sha256(subnetId, new CanonicalWriter(16).u32(self).i64(height).toByteArray())
                .hashCode());
        int myRank = ranking.rankOf(height, self);
        long time = parent.time() + 1 + rnd.nextInt(1000);
        int other = (self + 1 + rnd.nextInt(Math.max(1, n - 1))) % n;

        // Bytes that do not decode, and a valid frame cut short.
        out.broadcast(randomBytes(rnd, rnd.nextInt(200)));
        Block honestLooking = new Block(height, parentHash, myRank, self, time, new TreeMap<>());
        byte[] good = signed(honestLooking).frame();
        out.broadcast(java.util.Arrays.copyOf(good, good.length - 1 - rnd.nextInt(good.length / 2)));
        // A block with a signature that is not a signature.
        out.broadcast(Wire.proposal(honestLooking, honestLooking.hash(), randomBytes(rnd, 64)).frame());
        // A block in another maker's name (at that maker's rank), signed with our key.
        Block impersonated = new Block(height, parentHash, ranking.rankOf(height, other), other, time, new TreeMap<>());
        byte[] sig = key.sign(Domain.BLOCK_PROPOSAL, Wire.proposalBody(subnetId, height, impersonated.hash()));
        out.broadcast(Wire.proposal(impersonated, impersonated.hash(), sig).frame());
        // Our own blocks, correctly signed, but with a wrong rank, an unknown parent, no time
        // progress, an unknown section, or garbage in every known section.
        out.broadcast(signed(new Block(height, parentHash, (myRank + 1) % n, self, time, new TreeMap<>())).frame());
        out.broadcast(signed(new Block(height, Hash.wrap(randomBytes(rnd, 32)), myRank, self, time, new TreeMap<>())).frame());
        out.broadcast(signed(new Block(height, parentHash, myRank, self, parent.time(), new TreeMap<>())).frame());
        TreeMap<String, byte[]> unknown = new TreeMap<>();
        unknown.put("zz-forged", randomBytes(rnd, 16));
        out.broadcast(signed(new Block(height, parentHash, myRank, self, time, unknown)).frame());
        if (!sections.isEmpty()) {
            TreeMap<String, byte[]> junk = new TreeMap<>();
            for (String s : sections) {
                junk.put(s, randomBytes(rnd, 1 + rnd.nextInt(64)));
            }
            out.broadcast(signed(new Block(height, parentHash, myRank, self, time, junk)).frame());
        }
        // Shares for blocks that do not exist (correctly signed), and shares in others' names.
        Hash bogus = Hash.wrap(randomBytes(rnd, 32));
        out.broadcast(share(Wire.NOTARIZATION_SHARE, height, bogus).frame());
        out.broadcast(share(Wire.FINALIZATION_SHARE, height, bogus).frame());
        out.broadcast(share(Wire.FINALIZATION_SHARE, height - 1, parentHash).frame());
        out.broadcast(Wire.share(Wire.NOTARIZATION_SHARE, height, honestLooking.hash(), other, randomBytes(rnd, 64)).frame());
        // Notarizations and finalizations with forged signatures.
        TreeMap<Integer, byte[]> sigs = new TreeMap<>();
        for (int i = 0; i < config.threshold(); i++) {
            sigs.put(i, randomBytes(rnd, 64));
        }
        sigs.put(self, key.sign(Domain.NOTARIZATION_SHARE, Wire.notarizationBody(subnetId, height, bogus)));
        out.broadcast(Wire.aggregate(Wire.NOTARIZATION, height, bogus, sigs).frame());
        out.broadcast(Wire.aggregate(Wire.FINALIZATION, height, honestLooking.hash(), sigs).frame());
        // A valid block of our own, with notarization and finalization shares forged in every
        // other replica's name and a finalization claiming they all signed it: a validator that
        // skipped a signature check would finalize it at once, beside the honest block.
        Block valid = new Block(height, parentHash, myRank, self, time, new TreeMap<>());
        Wire.Proposal validProposal = signed(valid);
        out.broadcast(validProposal.frame());
        TreeMap<Integer, byte[]> claimed = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byte[] s = i == self ? key.sign(Domain.FINALIZATION_SHARE, Wire.finalizationBody(subnetId, height, validProposal.hash()))
                    : randomBytes(rnd, 64);
            claimed.put(i, s);
            if (i != self) {
                out.broadcast(Wire.share(Wire.NOTARIZATION_SHARE, height, validProposal.hash(), i, randomBytes(rnd, 64)).frame());
                out.broadcast(Wire.share(Wire.FINALIZATION_SHARE, height, validProposal.hash(), i, randomBytes(rnd, 64)).frame());
            }
        }
        out.broadcast(Wire.aggregate(Wire.FINALIZATION, height, validProposal.hash(), claimed).frame());
        // A status claiming to be far ahead (it only makes peers send us their own status).
        out.broadcast(Wire.status(height + 1000, height + 1000));
    }

    private Wire.Proposal signed(Block b) {
        Hash h = b.hash();
        return Wire.proposal(b, h, key.sign(Domain.BLOCK_PROPOSAL, Wire.proposalBody(subnetId, b.height(), h)));
    }

    private Wire.Share share(int type, long height, Hash hash) {
        return Wire.share(type, height, hash, self, key.sign(Wire.shareDomain(type), Wire.shareBody(type, subnetId, height, hash)));
    }

    private static byte[] randomBytes(Random rnd, int len) {
        byte[] b = new byte[len];
        rnd.nextBytes(b);
        return b;
    }
}
