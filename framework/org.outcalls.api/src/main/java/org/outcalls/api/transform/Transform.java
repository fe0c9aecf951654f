package org.outcalls.api.transform;

import org.osgi.annotation.versioning.ConsumerType;
import org.outcalls.api.HttpResponse;

/**
 * Turns the response one replica fetched into the response it signs. Runs on every replica of the
 * committee before consensus, so it must be a pure function of its arguments: no clock, no random,
 * no I/O, no state kept between calls. The host runs it off the event loop with a CPU-time limit
 * and bounds its output by the request's {@code max_response_bytes}; a transform that throws,
 * runs too long or returns too much yields CANISTER_ERROR, kind {@code transform_error}.
 *
 * <p>Register it as a Declarative Services component named by {@link TransformName}:
 * {@code @Component(service = Transform.class) @TransformName("shout")}. The host takes its name from
 * that service property and its version from the bundle that registered it ({@code major.minor.micro}
 * of {@code Bundle-Version}); the subnet registry enables a name at a version, and the version is part
 * of what each replica signs.
 */
@ConsumerType
public interface Transform {

    /** The service property holding the transform's name, as {@link TransformName} writes it. */
    String NAME_PROPERTY = "outcalls.transform.name";

    /**
     * @param response the response as fetched (already within the request's limits)
     * @param context  the caller's context bytes (empty if none)
     * @return the transformed response
     * @throws TransformException with a message that tells the caller what in the response or
     *                            context made the transform fail
     */
    HttpResponse apply(HttpResponse response, byte[] context) throws TransformException;
}
