package org.outcalls.api;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** An HTTP response as fetched, transformed, agreed and delivered: status, ordered headers, body. */
public final class HttpResponse {
    private final int status;
    private final List<HttpHeader> headers;
    private final byte[] body;

    private HttpResponse(int status, List<HttpHeader> headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public static HttpResponse of(int status, List<HttpHeader> headers, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status: " + status + " is not a three-digit HTTP status");
        }
        Objects.requireNonNull(headers, "headers");
        return new HttpResponse(status, List.copyOf(headers), body == null ? new byte[0] : body.clone());
    }

    public int status() {
        return status;
    }

    public List<HttpHeader> headers() {
        return headers;
    }

    public byte[] body() {
        return body.clone();
    }

    public int bodySize() {
        return body.length;
    }

    /** Header bytes (names + values) plus body bytes: what counts toward max_response_bytes. */
    public long byteSize() {
        return Limits.headerBytes(headers) + body.length;
    }

    public HttpResponse withHeaders(List<HttpHeader> newHeaders) {
        return of(status, newHeaders, body);
    }

    public HttpResponse withBody(byte[] newBody) {
        return of(status, headers, newBody);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpResponse r && status == r.status && headers.equals(r.headers)
                && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + headers.size() + " headers, " + body.length + " body bytes]";
    }
}
