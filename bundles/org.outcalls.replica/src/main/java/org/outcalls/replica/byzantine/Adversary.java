package org.outcalls.replica.byzantine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.OutcallDomains;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.BatchSignature;
import org.outcalls.crypto.BatchSigner;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.internal.outcall.OutcallGossip;
import org.outcalls.replica.local.PluginSource;
import org.outcalls.transport.Scheduler;
import org.outcalls.transport.Transport;

/**
 * One faulty replica's powers, for tests and fault modes: it runs the honest code but a script
 * decides what of it leaves the replica — the contents it signs ({@link #forgeContent}), the
 * payloads of the blocks it makes ({@link #forgePayload}), every frame its code sends ({@link
 * #tapOutgoing}) — and it can send anything its key can sign ({@link #sign}, {@link #send}). What it
 * can never do is sign with another replica's key. Hooks may be set and changed at any time from
 * any thread; they run on the replica's own threads.
 */
public final class Adversary {
    private final NodeKey key;
    private final Hash subnetId;
    private final List<PublicKey> members;
    private final Transport transport;
    private final Scheduler scheduler;
    private final PluginSource plugins;
    private final Supplier<List<OutcallContextInfo>> openContexts;
    private final org.outcalls.consensus.outcall.ReplicatedContexts contexts;
    private final java.util.function.LongFunction<List<SignedShare>> sharesSeen;
    private volatile ContentForger contentForger;
    private volatile PayloadForger payloadForger;
    private volatile FrameTap tap;

    /**
     * @param transport      the replica's own transport, before the tap: what {@link #send} uses
     * @param openContexts   the request contexts open in this replica's executed state
     * @param sharesSeen     the validated shares it holds for a callback
     */
    public Adversary(NodeKey key, Hash subnetId, List<PublicKey> members, Transport transport, Scheduler scheduler,
                     PluginSource plugins, Supplier<List<OutcallContextInfo>> openContexts,
                     org.outcalls.consensus.outcall.ReplicatedContexts contexts,
                     java.util.function.LongFunction<List<SignedShare>> sharesSeen) {
        this.key = Objects.requireNonNull(key, "key");
        this.subnetId = Objects.requireNonNull(subnetId, "subnetId");
        this.members = List.copyOf(members);
        this.transport = Objects.requireNonNull(transport, "transport");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.openContexts = Objects.requireNonNull(openContexts, "openContexts");
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.sharesSeen = Objects.requireNonNull(sharesSeen, "sharesSeen");
    }

    // ---- who it is and what it sees

    public int self() {
        return transport.self();
    }

    public int size() {
        return members.size();
    }

    public Hash subnetId() {
        return subnetId;
    }

    public List<PublicKey> members() {
        return members;
    }

    /** The request contexts open in this replica's executed state, in callback-id order. Protocol thread. */
    public List<OutcallContextInfo> openContexts() {
        return openContexts.get();
    }

    /** The newest height this replica executed. */
    public long executedHeight() {
        return contexts.executedHeight();
    }

    /** The height of the block that created a request context, or −1 if this replica does not know it. */
    public long createdHeight(long callbackId) {
        return contexts.createdHeight(callbackId);
    }

    /** The validated shares this replica holds for an open request (its own and its peers'). Protocol thread. */
    public List<SignedShare> sharesSeen(long callbackId) {
        return sharesSeen.apply(callbackId);
    }

    /** The agreement policy installed here at exactly this version, if any. */
    public Optional<AgreementPolicy> policy(String name, String version) {
        return plugins.policy(name, version);
    }

    // ---- hooks: what of the honest code's output leaves the replica

    /** Null: sign what was fetched. */
    public Adversary forgeContent(ContentForger forger) {
        this.contentForger = forger;
        return this;
    }

    /** Null: propose what the honest block maker built. */
    public Adversary forgePayload(PayloadForger forger) {
        this.payloadForger = forger;
        return this;
    }

    /** Null: send every frame as the honest code does. */
    public Adversary tapOutgoing(FrameTap tap) {
        this.tap = tap;
        return this;
    }

    /** Back to honest behaviour (frames already scheduled by a script still go). */
    public Adversary honest() {
        contentForger = null;
        payloadForger = null;
        tap = null;
        return this;
    }

    public ContentForger contentForger() {
        return contentForger;
    }

    public PayloadForger payloadForger() {
        return payloadForger;
    }

    public FrameTap tap() {
        return tap;
    }

    // ---- powers: anything its own key can sign, sent to anyone

    /** A share over any metadata, signed with this replica's key. */
    public SignedShare sign(ShareMetadata metadata) {
        BatchSignature sig = BatchSigner.sign(key, OutcallDomains.SHARE, List.of(metadata.encode())).get(0);
        return new SignedShare(metadata, self(), sig);
    }

    /** Signs a content as a share for {@code context} and returns the signed share. */
    public SignedShare signContent(OutcallContextInfo context, String policy, String transform, byte[] content,
                                   boolean reject) {
        return sign(new ShareMetadata(subnetId, context.callbackId(), context.digest(),
                org.outcalls.consensus.outcall.ContentHash.of(transform, content), content.length, reject, transform, policy,
                context.registryVersion()));
    }

    /** Gossips shares (with their contents, or null each) to one peer or, with {@link FrameTap#EVERYONE}, to all. */
    public void sendShares(int peer, List<SignedShare> shares, List<byte[]> contents) {
        for (byte[] frame : OutcallGossip.shares(shares, contents)) {
            send("outcalls", peer, frame);
        }
    }

    /** Asks a peer (or everyone) for a content, as a block maker does. */
    public void requestContent(int peer, long callbackId, Hash contentHash) {
        send("outcalls", peer, OutcallGossip.contentRequest(callbackId, contentHash));
    }

    /** Sends a content reply, asked for or not. */
    public void sendContent(int peer, long callbackId, Hash contentHash, byte[] content) {
        send("outcalls", peer, OutcallGossip.content(callbackId, contentHash, content));
    }

    /** Any frame on any channel (created if new), past the tap. */
    public void send(String channel, int peer, byte[] frame) {
        if (peer == FrameTap.EVERYONE) {
            transport.channel(channel).broadcast(frame);
        } else {
            transport.channel(channel).send(peer, frame);
        }
    }

    /** Runs {@code action} on this replica's protocol thread every {@code period} until it returns false. */
    public void every(Duration period, java.util.function.BooleanSupplier action) {
        scheduler.schedule(period, () -> {
            if (action.getAsBoolean()) {
                every(period, action);
            }
        });
    }

    /** The replica's transport as its honest code must see it: every frame it sends passes the tap. */
    public Transport tapped(Transport honest) {
        return new TappedTransport(honest, this);
    }

    /** A payload section whose blocks this replica makes pass the payload forger; validation stays honest. */
    public org.outcalls.consensus.PayloadSection scripted(org.outcalls.consensus.PayloadSection honest) {
        return new ScriptedSection(honest, this);
    }

    /** The frames the honest code sent on {@code channel} to {@code peer}, after the tap (none: as they are). */
    List<byte[]> outgoing(String channel, int peer, byte[] frame) {
        FrameTap t = tap;
        return t == null ? List.of(frame) : new ArrayList<>(t.outgoing(channel, peer, frame));
    }
}
