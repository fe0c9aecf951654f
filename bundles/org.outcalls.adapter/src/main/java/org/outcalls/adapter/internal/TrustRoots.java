package org.outcalls.adapter.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the adapter's trust: the JDK's roots and the {@code trustCa} roots for every host, and
 * for each host named in {@code scopedTrustCa} its own extra roots, trusted for that host only.
 */
final class TrustRoots {
    private TrustRoots() {
    }

    /**
     * @param everyHost PEM files trusted for every host ({@code trustCa})
     * @param byHost    PEM files trusted for one host each ({@code scopedTrustCa}), keyed by
     *                  {@link HostScopedTrustManager#key(String)}
     */
    static X509ExtendedTrustManager build(List<Path> everyHost, Map<String, List<Path>> byHost) {
        List<X509Certificate> common = new ArrayList<>(jdkRoots());
        for (Path pem : everyHost) {
            common.addAll(read("trustCa", pem.toString(), pem));
        }
        Map<String, X509ExtendedTrustManager> scoped = new TreeMap<>();
        byHost.forEach((host, pems) -> {
            List<X509Certificate> roots = new ArrayList<>(common);
            for (Path pem : pems) {
                roots.addAll(read("scopedTrustCa", host + "=" + pem, pem));
            }
            scoped.put(host, pkix(roots));
        });
        return new HostScopedTrustManager(pkix(common), scoped);
    }

    /** The certificates of a PEM file; a bad file is named with the key and the value as configured. */
    private static List<X509Certificate> read(String key, String value, Path pem) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw AdapterSettings.bad(key, value, "cannot be read: " + e);
        } catch (CertificateException e) {
            throw AdapterSettings.bad(key, value, "is not a PEM certificate file: " + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw AdapterSettings.bad(key, value, "contains no certificate");
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : certs) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    private static List<X509Certificate> jdkRoots() {
        try {
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            List<X509Certificate> out = new ArrayList<>();
            for (TrustManager tm : jdk.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    out.addAll(List.of(x.getAcceptedIssuers()));
                }
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JDK's trusted roots: " + e, e);
        }
    }

    /** A PKIX trust manager over exactly these roots. */
    private static X509ExtendedTrustManager pkix(List<X509Certificate> roots) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("the PKIX trust manager factory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the trust store: " + e, e);
        }
    }
}
