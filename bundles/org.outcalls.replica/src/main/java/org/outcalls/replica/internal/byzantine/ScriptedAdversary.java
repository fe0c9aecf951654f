package org.outcalls.replica.internal.byzantine;

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
import org.outcalls.replica.byzantine.Adversary;
import org.outcalls.replica.byzantine.ContentForger;
import org.outcalls.replica.byzantine.FrameTap;
import org.outcalls.replica.byzantine.PayloadForger;
import org.outcalls.replica.internal.outcall.OutcallGossip;
import org.outcalls.replica.local.PluginSource;
import org.outcalls.transport.Scheduler;
import org.outcalls.transport.Transport;

/** The {@link Adversary} of a replica in this process: the honest code's transport and sections pass its hooks. */
public final class ScriptedAdversary implements Adversary {
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
    public ScriptedAdversary(NodeKey key, Hash subnetId, List<PublicKey> members, Transport transport, Scheduler scheduler,
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

    @Override
    public int self() {
        return transport.self();
    }

    @Override
    public int size() {
        return members.size();
    }

    @Override
    public Hash subnetId() {
        return subnetId;
    }

    @Override
    public List<PublicKey> members() {
        return members;
    }

    @Override
    public List<OutcallContextInfo> openContexts() {
        return openContexts.get();
    }

    @Override
    public long executedHeight() {
        return contexts.executedHeight();
    }

    @Override
    public long createdHeight(long callbackId) {
        return contexts.createdHeight(callbackId);
    }

    @Override
    public List<SignedShare> sharesSeen(long callbackId) {
        return sharesSeen.apply(callbackId);
    }

    @Override
    public Optional<AgreementPolicy> policy(String name, String version) {
        return plugins.policy(name, version);
    }

    // ---- hooks: what of the honest code's output leaves the replica

    @Override
    public Adversary forgeContent(ContentForger forger) {
        this.contentForger = forger;
        return this;
    }

    @Override
    public Adversary forgePayload(PayloadForger forger) {
        this.payloadForger = forger;
        return this;
    }

    @Override
    public Adversary tapOutgoing(FrameTap tap) {
        this.tap = tap;
        return this;
    }

    @Override
    public Adversary honest() {
        contentForger = null;
        payloadForger = null;
        tap = null;
        return this;
    }

    @Override
    public ContentForger contentForger() {
        return contentForger;
    }

    @Override
    public PayloadForger payloadForger() {
        return payloadForger;
    }

    @Override
    public FrameTap tap() {
        return tap;
    }

    // ---- powers: anything its own key can sign, sent to anyone

    @Override
    public SignedShare sign(ShareMetadata metadata) {
        BatchSignature sig = BatchSigner.sign(key, OutcallDomains.SHARE, List.of(metadata.encode())).get(0);
        return new SignedShare(metadata, self(), sig);
    }

    @Override
    public SignedShare signContent(OutcallContextInfo context, String policy, String transform, byte[] content,
                                   boolean reject) {
        return sign(new ShareMetadata(subnetId, context.callbackId(), context.digest(),
                org.outcalls.consensus.outcall.ContentHash.of(transform, content), content.length, reject, transform, policy,
                context.registryVersion()));
    }

    @Override
    public void sendShares(int peer, List<SignedShare> shares, List<byte[]> contents) {
        for (byte[] frame : OutcallGossip.shares(shares, contents)) {
            send("outcalls", peer, frame);
        }
    }

    @Override
    public void requestContent(int peer, long callbackId, Hash contentHash) {
        send("outcalls", peer, OutcallGossip.contentRequest(callbackId, contentHash));
    }

    @Override
    public void sendContent(int peer, long callbackId, Hash contentHash, byte[] content) {
        send("outcalls", peer, OutcallGossip.content(callbackId, contentHash, content));
    }

    @Override
    public void send(String channel, int peer, byte[] frame) {
        if (peer == FrameTap.EVERYONE) {
            transport.channel(channel).broadcast(frame);
        } else {
            transport.channel(channel).send(peer, frame);
        }
    }

    @Override
    public void every(Duration period, java.util.function.BooleanSupplier action) {
        scheduler.schedule(period, () -> {
            if (action.getAsBoolean()) {
                every(period, action);
            }
        });
    }

    @Override
    public Transport tapped(Transport honest) {
        return new TappedTransport(honest, this);
    }

    @Override
    public org.outcalls.consensus.PayloadSection scripted(org.outcalls.consensus.PayloadSection honest) {
        return new ScriptedSection(honest, this);
    }

    /** The frames the honest code sent on {@code channel} to {@code peer}, after the tap (none: as they are). */
    List<byte[]> outgoing(String channel, int peer, byte[] frame) {
        FrameTap t = tap;
        return t == null ? List.of(frame) : new ArrayList<>(t.outgoing(channel, peer, frame));
    }
}
