package org.outcalls.api.verify;

import java.util.Optional;
import java.util.OptionalLong;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Cycles;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;

/**
 * A saved outcall result (the JSON of {@code GET /api/v1/outcalls/{id}}; docs/result-document.md),
 * parsed. Fields a document may lack are empty; a field that is there must be well-formed.
 * Fields this verifier does not read (such as {@code height}) are ignored: they prove nothing.
 *
 * @param request     the request the result answers, as shown
 * @param context     the rest of the request context the shares signed (with {@code request})
 * @param callbackId  the top-level {@code callback_id}, if shown
 * @param certificate the certificate's bytes; empty if the result has none
 */
public record ResultDocument(Optional<String> id, Optional<String> status, Optional<SignedRequest> request,
                            Optional<SignedContext> context, OptionalLong callbackId, Optional<HttpResponse> response,
                            Optional<AggregateValue> value, Optional<Reject> reject, Optional<Cycles> cycles,
                            byte[] certificate) {
    public ResultDocument {
        certificate = certificate.clone();
    }

    @Override
    public byte[] certificate() {
        return certificate.clone();
    }

    /**
     * Parses a result document.
     *
     * @throws DocumentException naming the first field that is malformed ({@code document} if it is no JSON object)
     */
    public static ResultDocument parse(String json) throws DocumentException {
        JsonObject root = JsonObject.root(json, "document");
        Optional<SignedRequest> request = Optional.empty();
        if (root.has("request")) {
            request = Optional.of(ResultFields.request(root.object("request")));
        }
        Optional<SignedContext> context = Optional.empty();
        if (root.has("context")) {
            if (request.isEmpty()) {
                throw new DocumentException("request", "is required beside context: the context digest covers both");
            }
            context = Optional.of(ResultFields.context(root.object("context"), request.get()));
        }
        OptionalLong callbackId = root.has("callback_id") ? OptionalLong.of(root.whole("callback_id")) : OptionalLong.empty();
        Optional<HttpResponse> response = Optional.empty();
        if (root.has("response")) {
            response = Optional.of(ResultFields.response(root.object("response")));
        }
        Optional<AggregateValue> value = Optional.empty();
        if (root.has("value")) {
            value = Optional.of(ResultFields.value(root.object("value")));
        }
        Optional<Reject> reject = Optional.empty();
        if (root.has("reject")) {
            reject = Optional.of(ResultFields.reject(root.object("reject")));
        }
        Optional<Cycles> cycles = Optional.empty();
        if (root.has("cycles")) {
            cycles = Optional.of(ResultFields.cycles(root.object("cycles")));
        }
        byte[] certificate = root.has("certificate") ? root.base64("certificate") : new byte[0];
        return new ResultDocument(root.optionalText("id"), root.optionalText("status"), request, context, callbackId,
                response, value, reject, cycles, certificate);
    }
}
