package org.outcalls.consensus.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.CannotValidateException;
import org.outcalls.consensus.InvalidPayloadException;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;
import org.outcalls.consensus.internal.Wire.Signed;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.pool.ArtifactPool.Unvalidated;
import org.outcalls.transport.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validation of peers' artifacts (the IC's validator), cheapest check first, as the README's
 * "What validators check" lists them. An artifact is accepted (and recorded), rejected (counted
 * against its sender), dropped (useless but not provably bad) or deferred: looked at again only
 * after something changed. A block whose payload this replica cannot judge for a local reason
 * ({@link CannotValidateException}) is deferred, and followed without a vote once notarized.
 */
final class Validator {
    private static final Logger LOG = LoggerFactory.getLogger(Validator.class);

    enum Verdict { ACCEPT, REJECT, DROP, DEFER }

    private final ConsensusState state;
    private final Params params;
    private final Sections sections;
    private final Ranking ranking;
    private final PeerGuard guard;
    private final Clock clock;
    /** Deferred artifacts with the {@link ConsensusState#epoch} they were last looked at. */
    private final Map<Hash, Long> deferred = new HashMap<>();
    /** Blocks already reported as not validatable here (a missing plugin); cleared as finalization moves on. */
    private final Set<Hash> cannotValidateLogged = new HashSet<>();

    Validator(ConsensusState state, Sections sections, Ranking ranking, PeerGuard guard, Clock clock) {
        this.state = state;
        this.params = state.params;
        this.sections = sections;
        this.ranking = ranking;
        this.guard = guard;
        this.clock = clock;
    }

    /** Validates what the pool holds unvalidated; whether anything was accepted. */
    boolean processUnvalidated() {
        if (state.pool.unvalidatedCount() == 0) {
            return false;
        }
        boolean progress = false;
        for (Unvalidated<Signed> u : state.pool.unvalidated(2048)) {
            Signed a = u.artifact();
            Long at = deferred.get(a.id());
            if (at != null && at == state.epoch) {
                continue; // nothing changed since it was last looked at
            }
            Verdict v;
            try {
                v = check(a);
            } catch (RuntimeException e) {
                LOG.error("replica {}: checking {} from {} failed", params.self(), a.getClass().getSimpleName(), u.peer(), e);
                v = Verdict.REJECT;
            }
            switch (v) {
                case ACCEPT -> {
                    deferred.remove(a.id());
                    if (state.pool.accept(u)) {
                        state.add(a);
                        progress = true;
                    }
                }
                case REJECT -> {
                    deferred.remove(a.id());
                    state.pool.reject(u);
                    state.counters.count(Counters.INVALID);
                    guard.penalize(u.peer(), clock.nanos());
                }
                case DROP -> {
                    deferred.remove(a.id());
                    state.pool.drop(u);
                }
                case DEFER -> deferred.put(a.id(), state.epoch);
            }
            if (state.halted) {
                break;
            }
        }
        return progress;
    }

    /** Forgets deferred artifacts the pool no longer holds (after a purge). */
    void forgetPurged() {
        deferred.keySet().removeIf(id -> !state.pool.contains(id));
        cannotValidateLogged.clear();
    }

    int deferredCount() {
        return deferred.size();
    }

    Verdict check(Signed a) {
        if (a.height() <= state.finalizedHeight()) {
            return Verdict.DROP;
        }
        if (a instanceof Proposal p) {
            return checkProposal(p);
        } else if (a instanceof Share s) {
            return checkShare(s);
        } else {
            return checkAggregate((Aggregate) a);
        }
    }

    Verdict checkProposal(Proposal p) {
        Block b = p.block();
        long h = b.height();
        int maker = b.maker();
        Committee c = state.committee(h);
        if (c == null) {
            return Verdict.DEFER; // who runs this height is decided by blocks this replica has not executed yet
        }
        if (maker >= c.n() || b.rank() != ranking.rankOf(h, maker)) {
            return Verdict.REJECT;
        }
        HeightState hs = state.at(h);
        if (hs != null) {
            if (hs.proposals.containsKey(p.hash())) {
                return Verdict.DROP;
            }
            List<Hash> byMaker = hs.byMaker.get(maker);
            if (byMaker != null && byMaker.size() >= 2) {
                return Verdict.DROP; // equivocation already proven: more copies prove nothing new
            }
        }
        Block parent = state.notarizedBlock(h - 1, b.parent());
        if (parent == null) {
            if (h - 1 <= state.finalizedHeight()) {
                return Verdict.DROP; // extends a block that lost finalization: useless, not provably bad
            }
            return Verdict.DEFER; // parent unknown or not notarized yet
        }
        if (b.time() <= parent.time()) {
            return Verdict.REJECT;
        }
        long now = clock.nanos();
        if (b.time() > now + params.tolerance()) {
            state.due(b.time() - params.tolerance()); // valid later, by our clock
            return Verdict.DEFER;
        }
        if (!c.key(maker).verify(Domain.BLOCK_PROPOSAL,
                Wire.proposalBody(params.subnetId(), h, p.hash()), p.signature())) {
            return Verdict.REJECT;
        }
        String invalid;
        try {
            invalid = invalidPayload(b);
        } catch (CannotValidateException e) {
            return cannotValidate(p, hs, e);
        }
        if (invalid != null) {
            LOG.debug("replica {}: block {} of maker {} at height {} has an invalid payload: {}", params.self(),
                    p.hash(), maker, h, invalid);
            return Verdict.REJECT;
        }
        return Verdict.ACCEPT;
    }

    /** A block whose payload cannot be judged here: followed (unchecked, never voted for) once notarized, else deferred. */
    private Verdict cannotValidate(Proposal p, HeightState hs, CannotValidateException e) {
        long h = p.height();
        if (hs != null && hs.notarized(p.hash())) {
            // n − f notaries, so at least f + 1 honest ones, checked it: follow it without voting for it.
            if (!e.catchingUp()) {
                LOG.warn("replica {}: follows notarized block {} at height {} without checking it here: {}",
                        params.self(), p.hash(), h, e.getMessage());
            }
            hs.unchecked.add(p.hash());
            return Verdict.ACCEPT;
        }
        // A local lack (a plugin not installed here, a height not executed yet), not the maker's
        // fault: keep the block and look again later (every wake-up re-checks deferred artifacts),
        // never blame the peer.
        if (!e.catchingUp() && cannotValidateLogged.add(p.hash())) {
            LOG.warn("replica {}: cannot validate block {} at height {}: {}; waiting", params.self(), p.hash(), h,
                    e.getMessage());
        }
        return Verdict.DEFER;
    }

    Verdict checkShare(Share s) {
        Committee c = state.committee(s.height());
        if (c == null) {
            return Verdict.DEFER;
        }
        if (s.signer() >= c.n()) {
            return Verdict.REJECT;
        }
        boolean notarization = s.notarization();
        HeightState hs = state.at(s.height());
        if (hs != null) {
            if (hs.shareSignature(notarization, s.hash(), s.signer()) != null) {
                return Verdict.DROP;
            }
            // An honest replica signs at most one block per rank and height (notarization) or one
            // block per height (finalization); more than that is misbehaviour we need not store.
            if (hs.sharesBy(notarization, s.signer()) >= (notarization ? c.n() : 2)) {
                return Verdict.DROP;
            }
            if ((notarization ? hs.notarized(s.hash()) : hs.finalizations.containsKey(s.hash()))) {
                return Verdict.DROP; // already aggregated
            }
        }
        byte[] body = Wire.shareBody(s.type(), params.subnetId(), s.height(), s.hash());
        if (!c.key(s.signer()).verify(Wire.shareDomain(s.type()), body, s.signature())) {
            return Verdict.REJECT;
        }
        return Verdict.ACCEPT;
    }

    Verdict checkAggregate(Aggregate g) {
        Committee c = state.committee(g.height());
        if (c == null) {
            return Verdict.DEFER;
        }
        if (g.signatures().size() < c.threshold() || g.signatures().lastKey() >= c.n()) {
            return Verdict.REJECT;
        }
        boolean notarization = g.notarization();
        HeightState hs = state.at(g.height());
        if (hs != null && (notarization ? hs.notarizations : hs.finalizations).containsKey(g.hash())) {
            return Verdict.DROP;
        }
        byte[] body = Wire.shareBody(g.type(), params.subnetId(), g.height(), g.hash());
        Domain domain = Wire.shareDomain(g.type());
        for (Map.Entry<Integer, byte[]> e : g.signatures().entrySet()) {
            byte[] known = hs == null ? null : hs.shareSignature(notarization, g.hash(), e.getKey());
            if (known != null && Arrays.equals(known, e.getValue())) {
                continue; // checked when the share arrived
            }
            if (!c.key(e.getKey()).verify(domain, body, e.getValue())) {
                return Verdict.REJECT;
            }
        }
        return Verdict.ACCEPT;
    }

    /** Why the payload is invalid, or null. Deterministic: only the block, its ancestors and the sections. */
    private String invalidPayload(Block b) throws CannotValidateException {
        for (String name : b.payload().keySet()) {
            if (!sections.contains(name)) {
                return "unknown payload section " + name;
            }
        }
        long used = 0;
        for (PayloadSection s : sections.all()) {
            byte[] bytes = b.payloadOf(s.name());
            long max = Block.MAX_PAYLOAD_BYTES - used;
            if (bytes.length > max) {
                return "section " + s.name() + " has " + bytes.length + " bytes, at most " + max;
            }
            Context ctx = sections.context(b.height(), b.time(), b.maker(), max, s.name(), b.parent());
            try {
                s.validate(ctx, bytes);
            } catch (CannotValidateException e) {
                throw new CannotValidateException("section " + s.name() + ": " + e.getMessage(), e);
            } catch (InvalidPayloadException e) {
                return "section " + s.name() + ": " + e.getMessage();
            } catch (RuntimeException e) {
                LOG.error("replica {}: payload section {} failed validating height {}", params.self(), s.name(),
                        b.height(), e);
                return "section " + s.name() + " failed: " + e;
            }
            used += bytes.length;
        }
        return null;
    }
}
