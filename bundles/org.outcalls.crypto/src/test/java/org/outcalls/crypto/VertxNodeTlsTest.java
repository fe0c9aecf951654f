package org.outcalls.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.http.ClientAuth;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The multi-host transport's setting: two replicas connect over Vert.x with mutual TLS from node keys. */
class VertxNodeTlsTest {

    @Test
    void vertxConnectsTwoNodesWithMutualTlsFromNodeCertificates() throws Exception {
        NodeKey a = NodeKey.generate();
        NodeKey b = NodeKey.generate();
        List<PublicKey> members = List.of(a.publicKey(), b.publicKey());
        char[] pw = "x".toCharArray();
        Vertx vertx = Vertx.vertx();
        try {
            NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                    .setClientAuth(ClientAuth.REQUIRED)
                    .setKeyCertOptions(new PfxOptions().setValue(Buffer.buffer(NodeCertificates.selfSigned(a, Duration.ofDays(1)).pkcs12(pw))).setPassword("x"))
                    .setTrustOptions(TrustOptions.wrap(NodeCertificates.trustManager(members))));
            CompletableFuture<PublicKey> serverSaw = new CompletableFuture<>();
            server.connectHandler(sock -> {
                try {
                    serverSaw.complete(NodeCertificates.nodeKeyOf(sock.peerCertificates().get(0).getEncoded()));
                } catch (Exception e) {
                    serverSaw.completeExceptionally(e);
                }
                sock.handler(buf -> sock.write(Buffer.buffer("pong:" + buf)));
            });
            int port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
            NetClient client = vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
                    .setKeyCertOptions(new PfxOptions().setValue(Buffer.buffer(NodeCertificates.selfSigned(b, Duration.ofDays(1)).pkcs12(pw))).setPassword("x"))
                    .setTrustOptions(TrustOptions.wrap(NodeCertificates.trustManager(members))));
            CompletableFuture<String> reply = new CompletableFuture<>();
            CompletableFuture<PublicKey> clientSaw = new CompletableFuture<>();
            client.connect(port, "127.0.0.1").onComplete(ar -> {
                if (ar.failed()) {
                    reply.completeExceptionally(ar.cause());
                    return;
                }
                try {
                    clientSaw.complete(NodeCertificates.nodeKeyOf(ar.result().peerCertificates().get(0).getEncoded()));
                } catch (Exception e) {
                    clientSaw.completeExceptionally(e);
                }
                ar.result().handler(buf -> reply.complete(buf.toString()));
                ar.result().write(Buffer.buffer("ping"));
            });
            assertEquals("pong:ping", reply.get(10, TimeUnit.SECONDS));
            assertEquals(b.publicKey(), serverSaw.get(10, TimeUnit.SECONDS));
            assertEquals(a.publicKey(), clientSaw.get(10, TimeUnit.SECONDS));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
