package org.outcalls.quorum.single.internal;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.Policies;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.PolicyName;
import org.outcalls.api.policy.ShareView;

/**
 * {@code single-replica}: one replica, chosen deterministically from the block's seed and the
 * callback id, fetches; its one signed share completes the request. Never divergent.
 *
 * <p><b>Weak integrity.</b> Nothing checks the chosen replica's answer against anyone else's: a
 * faulty replica that is chosen can return any content it likes, signed correctly, and the caller
 * cannot tell. Use it only where that is acceptable, or where the request must not be sent more
 * than once (PUT, DELETE, PATCH, a POST without idempotency).
 */
@Component(service = AgreementPolicy.class)
@PolicyName(SingleReplicaPolicy.NAME)
public final class SingleReplicaPolicy implements AgreementPolicy {
    public static final String NAME = Policies.SINGLE_REPLICA;

    /** Domain separation for the committee hash; a new version of the choice gets a new tag. */
    static final String DOMAIN = "outcalls/single-replica/committee/v1";

    /**
     * The one replica: SHA-256 over (u32 length ‖ {@link #DOMAIN} ‖ u32 length ‖ seed ‖ u64
     * callback id), all big-endian, read as an unsigned 256-bit number, modulo n. Uniform up to a
     * bias below n / 2^256, and the same on every replica.
     */
    @Override
    public int[] committee(CommitteeInput input) {
        byte[] domain = DOMAIN.getBytes(StandardCharsets.US_ASCII);
        byte[] seed = input.seed();
        ByteBuffer message = ByteBuffer.allocate(4 + domain.length + 4 + seed.length + 8)
                .putInt(domain.length).put(domain)
                .putInt(seed.length).put(seed)
                .putLong(input.callbackId());
        byte[] digest = sha256().digest(message.array());
        int chosen = new BigInteger(1, digest).mod(BigInteger.valueOf(input.subnetSize())).intValueExact();
        return new int[] {chosen};
    }

    @Override
    public boolean carriesShareContents() {
        return false;
    }

    /** Complete with the committee member's share (response or reject) once it is there. */
    @Override
    public Decision decide(DecisionInput input) {
        int[] committee = input.committee();
        for (ShareView share : input.shares()) {
            for (int member : committee) {
                if (share.signer() == member) {
                    return new Decision.Complete(new int[] {share.signer()}, share.contentHash(), null);
                }
            }
        }
        return new Decision.Pending();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
