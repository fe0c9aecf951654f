package org.outcalls.transport.internal.tcp;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.NodeCertificates;
import org.outcalls.crypto.PublicKey;

/**
 * The members' pinned keys by index as the registry says now (null: no member at that index),
 * replaced as a whole when the registry changes; a list view for lookups by key, and the trust
 * manager TLS asks: a certificate is accepted only if its node key is a member's right now, so a
 * removed or replaced key is refused from the moment the transport learns of the change.
 */
public final class LiveMembers extends AbstractList<PublicKey> {
    private volatile PublicKey[] keys;

    public LiveMembers(int capacity, List<PublicKey> initial) {
        PublicKey[] k = new PublicKey[capacity];
        for (int i = 0; i < initial.size(); i++) {
            k[i] = initial.get(i);
        }
        this.keys = k;
    }

    /** The keys by index from now on ({@code null}: no member there); at most the capacity. */
    public void set(PublicKey[] next) {
        this.keys = Arrays.copyOf(next, keys.length);
    }

    @Override
    public PublicKey get(int index) {
        return keys[index];
    }

    @Override
    public int size() {
        return keys.length;
    }

    /** Accepts a certificate of a current member's node key, nothing else. */
    public X509TrustManager trustManager() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                check(chain);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                check(chain);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no certificate");
        }
        PublicKey key;
        try {
            key = NodeCertificates.nodeKeyOf(chain[0].getEncoded());
        } catch (DecodeException e) {
            throw new CertificateException("not a node certificate: " + e.getMessage());
        }
        if (indexOf(key) < 0) {
            throw new CertificateException("node " + key.nodeId() + " is not a member of this subnet");
        }
        chain[0].checkValidity();
    }
}
