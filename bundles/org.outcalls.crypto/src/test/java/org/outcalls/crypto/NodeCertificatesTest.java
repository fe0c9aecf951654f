package org.outcalls.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;

class NodeCertificatesTest {

    @Test
    void theCertificateSpeaksForTheNodeKey() throws Exception {
        NodeKey k = NodeKey.generate();
        NodeCertificate c = NodeCertificates.selfSigned(k, Duration.ofDays(365));
        assertEquals(k.publicKey(), NodeCertificates.nodeKeyOf(c.der()));
        assertTrue(c.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
        X509Certificate x = certificate(c);
        assertTrue(x.getSubjectX500Principal().getName().contains(k.publicKey().nodeId()));
        assertEquals("Ed25519", ((java.security.interfaces.EdECPublicKey) x.getPublicKey()).getParams().getName());
        x.verify(x.getPublicKey()); // self-signed, checked by the JDK as well
    }

    @Test
    void theTrustManagerAcceptsMembersOnly() throws Exception {
        NodeKey a = NodeKey.generate();
        NodeKey b = NodeKey.generate();
        var tm = NodeCertificates.trustManager(Set.of(a.publicKey()));
        tm.checkClientTrusted(new X509Certificate[] {NodeCertificates.selfSigned(a, Duration.ofDays(1)).x509()}, "EdDSA");
        assertThrows(CertificateException.class, () -> tm.checkServerTrusted(
                new X509Certificate[] {NodeCertificates.selfSigned(b, Duration.ofDays(1)).x509()}, "EdDSA"));
        NodeCertificate expired = NodeCertificates.selfSigned(a, Duration.ofMinutes(1), java.time.Instant.now().minus(Duration.ofDays(2)));
        assertThrows(CertificateException.class, () -> tm.checkServerTrusted(new X509Certificate[] {expired.x509()}, "EdDSA"));
        assertThrows(CertificateException.class, () -> tm.checkServerTrusted(new X509Certificate[0], "EdDSA"));
    }

    @Test
    void aTamperedCertificateSpeaksForNobody() {
        NodeCertificate c = NodeCertificates.selfSigned(NodeKey.generate(), Duration.ofDays(1));
        byte[] der = c.der();
        der[der.length - 5] ^= 1; // inside the signature
        assertThrows(DecodeException.class, () -> NodeCertificates.nodeKeyOf(der));
        assertThrows(DecodeException.class, () -> NodeCertificates.nodeKeyOf(new byte[] {1, 2, 3}));
    }

    @Test
    void twoNodesCompleteMutualTls13OnLoopbackAndRecogniseEachOthersKeys() throws Exception {
        NodeKey a = NodeKey.generate();
        NodeKey b = NodeKey.generate();
        Set<PublicKey> members = Set.of(a.publicKey(), b.publicKey());
        SSLContext serverCtx = context(a, members);
        SSLContext clientCtx = context(b, members);
        try (SSLServerSocket server = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            server.setEnabledProtocols(new String[] {"TLSv1.3"});
            CompletableFuture<PublicKey> serverSaw = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    InputStream in = s.getInputStream();
                    int v = in.read();
                    s.getOutputStream().write(v + 1);
                    s.getOutputStream().flush();
                    return NodeCertificates.nodeKeyOf(s.getSession().getPeerCertificates()[0].getEncoded());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) clientCtx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    server.getLocalPort())) {
                client.setEnabledProtocols(new String[] {"TLSv1.3"});
                OutputStream out = client.getOutputStream();
                out.write(41);
                out.flush();
                assertEquals(42, client.getInputStream().read());
                assertEquals("TLSv1.3", client.getSession().getProtocol());
                assertEquals(a.publicKey(), NodeCertificates.nodeKeyOf(client.getSession().getPeerCertificates()[0].getEncoded()));
            }
            assertEquals(b.publicKey(), serverSaw.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aNodeOutsideTheSubnetIsRefused() throws Exception {
        NodeKey a = NodeKey.generate();
        NodeKey stranger = NodeKey.generate();
        SSLContext serverCtx = context(a, Set.of(a.publicKey()));
        SSLContext clientCtx = context(stranger, Set.of(a.publicKey(), stranger.publicKey()));
        try (SSLServerSocket server = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            CompletableFuture<Void> accept = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                    s.getInputStream().read();
                } catch (Exception expected) {
                    // the handshake fails on this side too
                }
            });
            try (SSLSocket client = (SSLSocket) clientCtx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    server.getLocalPort())) {
                assertThrows(Exception.class, () -> {
                    client.startHandshake();
                    client.getOutputStream().write(1);
                    client.getOutputStream().flush();
                    if (client.getInputStream().read() < 0) {
                        throw new SSLException("closed by the server");
                    }
                });
            }
            accept.get(10, TimeUnit.SECONDS);
        }
    }

    /** A JDK TLS context from the node's PKCS#12 store, trusting exactly the member keys (not a CA). */
    static SSLContext context(NodeKey key, Set<PublicKey> members) throws Exception {
        NodeCertificate c = NodeCertificates.selfSigned(key, Duration.ofDays(1));
        char[] password = "pw".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(c.pkcs12(password)), password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {NodeCertificates.trustManager(members)}, null);
        return ctx;
    }

    static X509Certificate certificate(NodeCertificate c) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(c.der()));
    }
}
