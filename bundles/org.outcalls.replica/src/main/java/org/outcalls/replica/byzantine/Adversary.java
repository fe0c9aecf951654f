package org.outcalls.replica.byzantine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.Transport;

/**
 * One faulty replica's powers, for tests and fault modes: it runs the honest code but a script
 * decides what of it leaves the replica — the contents it signs ({@link #forgeContent}), the
 * payloads of the blocks it makes ({@link #forgePayload}), every frame its code sends ({@link
 * #tapOutgoing}) — and it can send anything its key can sign ({@link #sign}, {@link #send}). What it
 * can never do is sign with another replica's key. Hooks may be set and changed at any time from
 * any thread; they run on the replica's own threads.
 */
@ProviderType
public interface Adversary {
    int self();

    int size();

    Hash subnetId();

    List<PublicKey> members();

    /** The request contexts open in this replica's executed state, in callback-id order. Protocol thread. */
    List<OutcallContextInfo> openContexts();

    /** The newest height this replica executed. */
    long executedHeight();

    /** The height of the block that created a request context, or −1 if this replica does not know it. */
    long createdHeight(long callbackId);

    /** The validated shares this replica holds for an open request (its own and its peers'). Protocol thread. */
    List<SignedShare> sharesSeen(long callbackId);

    /** The agreement policy installed here at exactly this version, if any. */
    Optional<AgreementPolicy> policy(String name, String version);

    /** Null: sign what was fetched. */
    Adversary forgeContent(ContentForger forger);

    /** Null: propose what the honest block maker built. */
    Adversary forgePayload(PayloadForger forger);

    /** Null: send every frame as the honest code does. */
    Adversary tapOutgoing(FrameTap tap);

    /** Back to honest behaviour (frames already scheduled by a script still go). */
    Adversary honest();

    ContentForger contentForger();

    PayloadForger payloadForger();

    FrameTap tap();

    /** A share over any metadata, signed with this replica's key. */
    SignedShare sign(ShareMetadata metadata);

    /** Signs a content as a share for {@code context} and returns the signed share. */
    SignedShare signContent(OutcallContextInfo context, String policy, String transform, byte[] content, boolean reject);

    /** Gossips shares (with their contents, or null each) to one peer or, with {@link FrameTap#EVERYONE}, to all. */
    void sendShares(int peer, List<SignedShare> shares, List<byte[]> contents);

    /** Asks a peer (or everyone) for a content, as a block maker does. */
    void requestContent(int peer, long callbackId, Hash contentHash);

    /** Sends a content reply, asked for or not. */
    void sendContent(int peer, long callbackId, Hash contentHash, byte[] content);

    /** Any frame on any channel (created if new), past the tap. */
    void send(String channel, int peer, byte[] frame);

    /** Runs {@code action} on this replica's protocol thread every {@code period} until it returns false. */
    void every(Duration period, java.util.function.BooleanSupplier action);

    /** The replica's transport as its honest code must see it: every frame it sends passes the tap. */
    Transport tapped(Transport honest);

    /** A payload section whose blocks this replica makes pass the payload forger; validation stays honest. */
    org.outcalls.consensus.PayloadSection scripted(org.outcalls.consensus.PayloadSection honest);
}
