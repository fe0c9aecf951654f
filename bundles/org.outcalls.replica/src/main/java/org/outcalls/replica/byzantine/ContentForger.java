package org.outcalls.replica.byzantine;

import org.osgi.annotation.versioning.ConsumerType;
import org.outcalls.consensus.outcall.OutcallContextInfo;

/** What a faulty replica signs for a request instead of what it fetched. */
@ConsumerType
@FunctionalInterface
public interface ContentForger {
    /** The content to sign, and whether it is a reject; see {@code OutcallCodec} for the encoding. */
    record Signed(byte[] content, boolean reject, String transform) {
    }

    /**
     * @param honest what the replica fetched and transformed
     * @return what it signs instead, or null to sign nothing for this request
     */
    Signed forge(OutcallContextInfo context, Signed honest);
}
