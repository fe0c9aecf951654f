package org.outcalls.replica.internal.outcall;

import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.RequestContext;

/** The facts of a replicated request context that shares bind to. */
public final class ContextInfos {
    private ContextInfos() {
    }

    public static OutcallContextInfo of(Hash subnetId, RequestContext rc) {
        return new OutcallContextInfo(subnetId, rc.callbackId(), rc.canisterId(), rc.request(), rc.attachedCycles(),
                rc.chargedCycles(), rc.requestTime(), rc.policy(), rc.policyVersion(), rc.transformVersion(),
                rc.registryVersion(),
                Hash.wrap(rc.blockHash()));
    }
}
