package org.outcalls.transport.internal.tcp;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.outcalls.transport.internal.RateLimitedLog;

/**
 * Accepts exactly the subnet's members (delegating to the registry-pinned trust manager) and logs
 * every refusal with the peer's address, rate-limited.
 */
public final class MemberTrust extends X509ExtendedTrustManager {
    private final X509TrustManager members;
    private final RateLimitedLog log;
    private final int self;

    public MemberTrust(X509TrustManager members, RateLimitedLog log, int self) {
        this.members = members;
        this.log = log;
        this.self = self;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType, true, engine == null ? null : engine.getPeerHost() + ":" + engine.getPeerPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType, false, engine == null ? null : engine.getPeerHost() + ":" + engine.getPeerPort());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, true, socket == null ? null : String.valueOf(socket.getRemoteSocketAddress()));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, false, socket == null ? null : String.valueOf(socket.getRemoteSocketAddress()));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, true, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, false, null);
    }

    private void check(X509Certificate[] chain, String authType, boolean client, String peer) throws CertificateException {
        try {
            if (client) {
                members.checkClientTrusted(chain, authType);
            } else {
                members.checkServerTrusted(chain, authType);
            }
        } catch (CertificateException e) {
            String who = peer == null || peer.startsWith("null") ? "a peer" : peer;
            log.warn("refused:" + who + ":" + e.getMessage(), "replica {}: refused {} {}: {}", self,
                    client ? "a connection from" : "the server at", who, e.getMessage());
            throw e;
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return members.getAcceptedIssuers();
    }
}
