package org.outcalls.gateway.internal;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.util.Optional;
import org.outcalls.replica.SubnetNode;

/**
 * {@code GET /api/v1/subnet/cup}: the replica's newest catch-up package in its canonical file format
 * ({@code application/octet-stream}; check it with {@code outcalls verify-cup FILE --subnet FILE}),
 * or 404 while it has none (an embedded subnet never has one).
 */
final class CupRoutes {
    private final SubnetNode node;

    CupRoutes(SubnetNode node) {
        this.node = node;
    }

    void register(Router router) {
        router.get("/api/v1/subnet/cup").handler(rc -> {
            Optional<byte[]> cup = node.catchUpPackage();
            if (cup.isEmpty()) {
                JsonErrors.send(rc.response(), 404, "no catch-up package yet: one is made at every checkpoint of a "
                        + "multi-host replica");
                return;
            }
            rc.response().setStatusCode(200).putHeader("content-type", "application/octet-stream")
                    .putHeader("cache-control", "no-store").end(Buffer.buffer(cup.get()));
        });
    }
}
