package org.outcalls.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The arguments of one {@code http_request}: what the canister asks every replica (or the
 * policy's committee) to fetch. Construction checks the shape of each value; the IC limits
 * (sizes, counts) are checked by {@link Limits#checkRequest} so that an over-limit request can be
 * rejected through consensus like on the Internet Computer rather than thrown at the caller.
 */
public final class OutcallRequest {
    private final String url;
    private final HttpMethod method;
    private final List<HttpHeader> headers;
    private final byte[] body;
    private final Long maxResponseBytes;
    private final TransformSpec transform;
    private final String policy;

    private OutcallRequest(Builder b) {
        this.url = b.url;
        this.method = b.method;
        this.headers = List.copyOf(b.headers);
        this.body = b.body == null ? new byte[0] : b.body.clone();
        this.maxResponseBytes = b.maxResponseBytes;
        this.transform = b.transform;
        this.policy = b.policy;
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    public String url() {
        return url;
    }

    public HttpMethod method() {
        return method;
    }

    /** Headers in the caller's order, duplicates kept. */
    public List<HttpHeader> headers() {
        return headers;
    }

    public byte[] body() {
        return body.clone();
    }

    public int bodySize() {
        return body.length;
    }

    /** The caller's bound on response bytes (headers + body), if it set one. */
    public OptionalLong maxResponseBytes() {
        return maxResponseBytes == null ? OptionalLong.empty() : OptionalLong.of(maxResponseBytes);
    }

    /** The bound that applies: the caller's, or {@link Limits#DEFAULT_MAX_RESPONSE_BYTES}. */
    public long effectiveMaxResponseBytes() {
        return maxResponseBytes == null ? Limits.DEFAULT_MAX_RESPONSE_BYTES : maxResponseBytes;
    }

    public Optional<TransformSpec> transform() {
        return Optional.ofNullable(transform);
    }

    /** The agreement policy by name; {@link Policies#TWO_THIRDS} unless the caller chose another. */
    public String policy() {
        return policy;
    }

    /** The URL's length in UTF-8 bytes. */
    public int urlBytes() {
        return url.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Sum of names and values of the request headers, in UTF-8 bytes. */
    public long headerBytes() {
        return Limits.headerBytes(headers);
    }

    /** A copy with the headers replaced (for plugins that add one, such as {@code Idempotency-Key}). */
    public OutcallRequest withHeaders(List<HttpHeader> newHeaders) {
        Builder b = toBuilder();
        b.headers.clear();
        newHeaders.forEach(b::header);
        return b.build();
    }

    public Builder toBuilder() {
        Builder b = new Builder(url).method(method).body(body).policy(policy);
        headers.forEach(b::header);
        if (maxResponseBytes != null) {
            b.maxResponseBytes(maxResponseBytes);
        }
        if (transform != null) {
            b.transform(transform);
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutcallRequest r && url.equals(r.url) && method == r.method
                && headers.equals(r.headers) && Arrays.equals(body, r.body)
                && Objects.equals(maxResponseBytes, r.maxResponseBytes)
                && Objects.equals(transform, r.transform) && policy.equals(r.policy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, method, headers, Arrays.hashCode(body), maxResponseBytes, transform, policy);
    }

    @Override
    public String toString() {
        return "OutcallRequest[" + method + " " + url + ", " + headers.size() + " headers, "
                + body.length + " body bytes, policy " + policy
                + (transform == null ? "" : ", transform " + transform.name()) + "]";
    }

    /** Builds a request; {@link #build()} rejects malformed values with a message naming the field. */
    public static final class Builder {
        private final String url;
        private HttpMethod method = HttpMethod.GET;
        private final List<HttpHeader> headers = new ArrayList<>();
        private byte[] body;
        private Long maxResponseBytes;
        private TransformSpec transform;
        private String policy = Policies.TWO_THIRDS;

        private Builder(String url) {
            this.url = url;
        }

        public Builder method(HttpMethod method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        public Builder header(String name, String value) {
            return header(new HttpHeader(name, value));
        }

        public Builder header(HttpHeader header) {
            headers.add(Objects.requireNonNull(header, "header"));
            return this;
        }

        public Builder body(byte[] body) {
            this.body = body;
            return this;
        }

        public Builder maxResponseBytes(long maxResponseBytes) {
            if (maxResponseBytes < 0) {
                throw new IllegalArgumentException(
                        "max_response_bytes: must not be negative (was " + maxResponseBytes + ")");
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        public Builder transform(TransformSpec transform) {
            this.transform = transform;
            return this;
        }

        public Builder policy(String policy) {
            if (policy == null || policy.isBlank()) {
                throw new IllegalArgumentException("policy: must not be empty");
            }
            this.policy = policy;
            return this;
        }

        public OutcallRequest build() {
            if (url == null || url.isEmpty()) {
                throw new IllegalArgumentException("url: must not be empty");
            }
            for (int i = 0; i < url.length(); i++) {
                char c = url.charAt(i);
                if (c <= 0x20 || c == 0x7f) {
                    throw new IllegalArgumentException("url: contains a space or control character at index " + i);
                }
            }
            return new OutcallRequest(this);
        }
    }
}
