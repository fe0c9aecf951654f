package org.outcalls.adapter.internal;

import java.net.IDN;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server's certificate with the roots trusted for the host the adapter asked for (the
 * URL's host, which the TLS engine carries as its peer host): a host given its own roots gets
 * those beside the common ones; every other host gets the common ones only. The chosen PKIX
 * manager also checks that the certificate names the host, as the engine asks it to.
 */
final class HostScopedTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager everyHost;
    private final Map<String, X509ExtendedTrustManager> byHost;

    /** @param byHost keys as {@link #key(String)} gives them */
    HostScopedTrustManager(X509ExtendedTrustManager everyHost, Map<String, X509ExtendedTrustManager> byHost) {
        this.everyHost = everyHost;
        this.byHost = Map.copyOf(byHost);
    }

    /**
     * How a host is compared: lower-case ASCII without a trailing dot; an IPv6 literal without
     * brackets, in Java's full form (so {@code ::1} and {@code 0:0::1} are one host).
     */
    static String key(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.indexOf(':') >= 0) {
            try {
                // An IPv6 literal: parsed, never looked up.
                return InetAddress.getByName(h).getHostAddress();
            } catch (UnknownHostException e) {
                return h;
            }
        }
        return IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
    }

    private X509ExtendedTrustManager forHost(String peerHost) {
        return peerHost == null ? everyHost : byHost.getOrDefault(key(peerHost), everyHost);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        forHost(engine == null ? null : engine.getPeerHost()).checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        String host = socket instanceof SSLSocket s && s.getHandshakeSession() != null
                ? s.getHandshakeSession().getPeerHost() : null;
        forHost(host).checkServerTrusted(chain, authType, socket);
    }

    /** Without an engine the host is unknown: only the roots trusted for every host apply. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        everyHost.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        everyHost.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        everyHost.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        everyHost.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return everyHost.getAcceptedIssuers();
    }
}
