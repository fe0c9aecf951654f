package org.outcalls.adapter.internal;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.proxy.ProxyConnectException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.outcalls.api.Limits;
import org.outcalls.api.Reject;

/** Turns what went wrong on the wire into a reject whose message names the host and the reason. */
final class Failures {
    /** The bound given to Netty's decoders: above the IC limits, so the adapter's check sees them. */
    static final int DECODER_MAX_HEADER_BYTES = 128 * 1024;

    private Failures() {
    }

    /** A failure while getting a connection: DNS is done, so this is TCP, TLS or the proxy. */
    static Reject connecting(Throwable t, String where, int connectTimeoutMillis) {
        Throwable tls = find(t, SSLException.class);
        if (tls != null) {
            return Rejects.badTls("TLS with " + where + " failed: " + tlsReason(t));
        }
        if (find(t, ConnectTimeoutException.class) != null) {
            return Rejects.connTimeout("connecting to " + where + " timed out after " + connectTimeoutMillis
                    + " ms (the connect limit)");
        }
        if (find(t, ProxyConnectException.class) != null) {
            return Rejects.unreachable("cannot connect to " + where + " through the SOCKS proxy: " + message(t));
        }
        if (find(t, ConnectException.class) != null || find(t, NoRouteToHostException.class) != null) {
            return Rejects.unreachable("cannot connect to " + where + ": " + message(t));
        }
        if (find(t, SocketException.class) != null || find(t, HttpClosedException.class) != null
                || find(t, ClosedChannelException.class) != null) {
            return Rejects.unreachable("connection to " + where + " failed before the request was sent: " + message(t));
        }
        return Rejects.unreachable("cannot connect to " + where + ": " + message(t));
    }

    /** A failure after the connection was made: while sending or while receiving the response. */
    static Reject exchanging(Throwable t, String where) {
        if (find(t, TooLongHttpHeaderException.class) != null || find(t, Http2Exception.HeaderListSizeException.class) != null) {
            return Rejects.headerLimit("response headers from " + where + " exceed " + DECODER_MAX_HEADER_BYTES
                    + " bytes on the wire; at most " + Limits.MAX_HEADER_TOTAL_BYTES
                    + " bytes of names and values are allowed");
        }
        if (find(t, TooLongFrameException.class) != null) {
            return Rejects.protocol("malformed HTTP response from " + where + ": " + message(t));
        }
        if (find(t, SSLException.class) != null) {
            return Rejects.badTls("TLS with " + where + " failed: " + tlsReason(t));
        }
        StreamResetException reset = find(t, StreamResetException.class);
        if (reset != null) {
            return Rejects.protocol(where + " reset the HTTP/2 stream (error code " + reset.getCode()
                    + ") before the response was complete");
        }
        if (find(t, HttpClosedException.class) != null || find(t, ClosedChannelException.class) != null) {
            return Rejects.protocol(where + " closed the connection before the response was complete");
        }
        if (find(t, IOException.class) != null) {
            return Rejects.protocol("connection to " + where + " failed during the response: " + message(t));
        }
        return Rejects.protocol("malformed HTTP response from " + where + ": " + message(t));
    }

    /**
     * The connection went away under an exchange (closed, or reset by the peer), as opposed to a
     * TLS, framing or protocol error the server made on a live connection.
     */
    static boolean connectionLost(Throwable t) {
        if (find(t, SSLException.class) != null) {
            return false;
        }
        return find(t, HttpClosedException.class) != null || find(t, IOException.class) != null;
    }

    /** The reason of a TLS failure in words a canister author can act on. */
    static String tlsReason(Throwable t) {
        if (find(t, CertificateExpiredException.class) != null) {
            return "the server's certificate has expired (" + message(find(t, CertificateExpiredException.class)) + ")";
        }
        if (find(t, CertificateNotYetValidException.class) != null) {
            return "the server's certificate is not valid yet";
        }
        CertPathValidatorException v = find(t, CertPathValidatorException.class);
        if (v != null && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
            return "the server's certificate has expired (" + message(v) + ")";
        }
        if (find(t, CertPathBuilderException.class) != null) {
            return "the server's certificate is not signed by a trusted root (to trust a private CA, add it with --trust-ca)";
        }
        String m = String.valueOf(deepestMessage(t));
        if (m.contains("subject alternative") || m.contains("No name matching") || m.contains("does not match")) {
            return "the server's certificate does not match the host name (" + m + ")";
        }
        return (find(t, SSLHandshakeException.class) != null ? "handshake failed: " : "") + chain(t);
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            for (Throwable s : c.getSuppressed()) {
                if (type.isInstance(s)) {
                    return type.cast(s);
                }
            }
        }
        return null;
    }

    /** The causes, outermost first, each once: "Failed to create SSL connection (caused by ClosedChannelException)". */
    private static String chain(Throwable t) {
        StringBuilder b = new StringBuilder(message(t));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String m = c.getMessage() == null || c.getMessage().isBlank() ? c.getClass().getSimpleName()
                    : c.getClass().getSimpleName() + ": " + c.getMessage();
            if (b.indexOf(m) < 0) {
                b.append(" (caused by ").append(m).append(')');
            }
        }
        return b.toString();
    }

    private static String deepestMessage(Throwable t) {
        String m = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null) {
                m = c.getMessage();
            }
        }
        return m == null ? t.toString() : m;
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
