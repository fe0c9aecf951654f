package org.outcalls.api.methods;

import org.osgi.annotation.versioning.ConsumerType;
import org.outcalls.api.OutcallRequest;

/**
 * Prepares an outcall with a state-changing method before a replica sends it, for example by
 * adding an {@code Idempotency-Key} so an origin can deduplicate the n identical POSTs of a
 * replicated request. Must be deterministic: every replica must prepare the same request.
 *
 * <p>Register it as a Declarative Services component: {@code @Component(service = MethodSupport.class)}.
 * The host knows it as {@value #NAME}, at the version of the bundle that registered it
 * ({@code major.minor.micro} of {@code Bundle-Version}), and uses the highest version installed.
 */
@ConsumerType
public interface MethodSupport {

    /** The plugin's registry name. */
    String NAME = "methods";

    /**
     * @param request    the canister's request
     * @param subnetId   the subnet's id (hex)
     * @param callbackId the request's callback id
     * @param replicated whether more than one replica sends it
     * @return the request to send
     */
    OutcallRequest prepare(OutcallRequest request, String subnetId, long callbackId, boolean replicated);
}
