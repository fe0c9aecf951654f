package org.outcalls.replica.internal.statesync;

import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.internal.statesync.SyncWire.ChunkRequest;
import org.outcalls.replica.internal.statesync.SyncWire.CupRequest;
import org.outcalls.replica.internal.statesync.SyncWire.HeightRequest;
import org.outcalls.replica.internal.statesync.SyncWire.ManifestRequest;
import org.outcalls.replica.internal.statesync.SyncWire.Msg;
import org.outcalls.transport.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code statesync} channel of one replica: requests go to its {@link SyncServer} (always: a
 * replica serves while it syncs itself, with what its store has), replies to the running {@link
 * SyncClient}, if any. Protocol thread.
 */
public final class SyncEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEndpoint.class);

    private final int self;
    private final SyncServer server;
    private volatile SyncClient client;

    public SyncEndpoint(int self, Channel channel, SyncServer server) {
        this.self = self;
        this.server = server;
        channel.receiver(this::onFrame);
    }

    /** The sync that replies go to (null: none). */
    public void client(SyncClient c) {
        this.client = c;
    }

    private void onFrame(int from, byte[] frame) {
        Msg m;
        try {
            m = SyncWire.decode(frame);
        } catch (DecodeException | RuntimeException e) {
            LOG.debug("replica {}: undecodable state sync frame from {}: {}", self, from, e.getMessage());
            return;
        }
        if (m instanceof CupRequest || m instanceof ManifestRequest || m instanceof ChunkRequest
                || m instanceof HeightRequest) {
            server.onRequest(from, m);
        } else {
            SyncClient c = client;
            if (c != null && c.active()) {
                c.onReply(from, m);
            }
        }
    }
}
