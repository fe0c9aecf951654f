package org.outcalls.methods.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.methods.MethodSupport;

/**
 * {@code methods}: prepares POST, PUT, DELETE and PATCH outcalls. A replicated POST (every replica
 * sends it) gets an {@code Idempotency-Key} derived from the subnet id and the callback id, the
 * same on every replica and different for every request and subnet, so the origin can recognize
 * the n copies as one request. A key the caller set is kept; every other request is returned as
 * it is.
 *
 * <p>Whether these methods may be used at all (the registry enables this plugin) and that PUT,
 * DELETE and PATCH go only through {@code single-replica} is enforced by replicated execution,
 * not here.
 */
@Component(service = MethodSupport.class)
public final class Methods implements MethodSupport {
    public static final String HEADER = "Idempotency-Key";

    /** Domain separation for the key; a new derivation gets a new tag. */
    static final String DOMAIN = "outcalls/methods/idempotency-key/v1";

    @Override
    public OutcallRequest prepare(OutcallRequest request, String subnetId, long callbackId, boolean replicated) {
        Objects.requireNonNull(request, "request");
        if (!replicated || request.method() != HttpMethod.POST || hasKey(request.headers())) {
            return request;
        }
        List<HttpHeader> headers = new ArrayList<>(request.headers());
        headers.add(new HttpHeader(HEADER, idempotencyKey(subnetId, callbackId)));
        return request.withHeaders(headers);
    }

    /**
     * 32 lower-case hex digits: the first 16 bytes of SHA-256 over (u32 length ‖ {@link #DOMAIN} ‖
     * u32 length ‖ subnet id in UTF-8 ‖ u64 callback id), lengths and id big-endian.
     */
    static String idempotencyKey(String subnetId, long callbackId) {
        if (subnetId == null || subnetId.isEmpty()) {
            throw new IllegalArgumentException("subnetId: must not be empty");
        }
        byte[] domain = DOMAIN.getBytes(StandardCharsets.US_ASCII);
        byte[] subnet = subnetId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer message = ByteBuffer.allocate(4 + domain.length + 4 + subnet.length + 8)
                .putInt(domain.length).put(domain)
                .putInt(subnet.length).put(subnet)
                .putLong(callbackId);
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(message.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static boolean hasKey(List<HttpHeader> headers) {
        return headers.stream().anyMatch(h -> h.name().equalsIgnoreCase(HEADER));
    }
}
