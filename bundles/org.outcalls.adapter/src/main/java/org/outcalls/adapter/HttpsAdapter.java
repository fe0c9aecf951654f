package org.outcalls.adapter;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;
import org.outcalls.api.OutcallRequest;

/**
 * Fetches outcalls for one replica over HTTPS.
 *
 * <p>The adapter sends exactly the method, URL, headers and body it is given, adding only a default
 * {@code user-agent} ({@link org.outcalls.api.Limits#DEFAULT_USER_AGENT} unless configured otherwise)
 * when the request has none. It re-checks the request limits of
 * {@link org.outcalls.api.Limits#checkRequest} (an {@code Idempotency-Key} header counts toward no
 * limit), never follows redirects, refuses private destinations unless allowed, and enforces every
 * response limit while the response streams in.
 */
@ProviderType
public interface HttpsAdapter {

    /**
     * Fetches one request. Never throws and never completes exceptionally: the stage completes with
     * the response (within limits) or with the reject that says why not.
     */
    CompletionStage<FetchResult> fetch(OutcallRequest request);
}
