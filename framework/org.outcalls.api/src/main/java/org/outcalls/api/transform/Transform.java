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
 * <p>The transform's {@link #version()} is part of what each replica signs: two replicas running
 * different versions sign different metadata and consensus settles it.
 */
@ConsumerType
public interface Transform {

    /** Service property holding the transform's name; must equal {@link #name()}. */
    String NAME_PROPERTY = "outcalls.transform.name";

    /** The name callers use in {@code transform.name}, for example {@code json}. */
    String name();

    /** The implementation's version, for example {@code 1.0.0}. */
    String version();

    /**
     * @param response the response as fetched (already within the request's limits)
     * @param context  the caller's context bytes (empty if none)
     * @return the transformed response
     * @throws TransformException with a message that tells the caller what in the response or
     *                            context made the transform fail
     */
    HttpResponse apply(HttpResponse response, byte[] context) throws TransformException;
}
