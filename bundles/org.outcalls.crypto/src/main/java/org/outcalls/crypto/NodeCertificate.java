package org.outcalls.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * A node's self-signed TLS certificate and the matching private key, in the forms TLS stacks take.
 *
 * <p>Vert.x 5's {@code PemKeyCertOptions} reads only RSA and EC private keys, not Ed25519; give
 * Vert.x the {@link #pkcs12(char[]) PKCS#12 key store} ({@code PfxOptions}) or a key manager from
 * {@link #keyStore(char[])} instead, and {@link NodeCertificates#trustManager} as trust options.
 * The JDK's TLS 1.3 (which Vert.x uses unless OpenSSL is configured) signs with Ed25519 keys.
 *
 * @param der            the certificate, DER
 * @param certificatePem the certificate, PEM ("CERTIFICATE")
 * @param privateKeyPem  the node key, PKCS#8 PEM ("PRIVATE KEY")
 */
public record NodeCertificate(byte[] der, String certificatePem, String privateKeyPem) {
    /** The alias of the key entry in {@link #keyStore} and {@link #pkcs12}. */
    public static final String ALIAS = "node";

    public NodeCertificate {
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    /** The certificate as a JDK object (default JDK providers; no provider is registered). */
    public X509Certificate x509() {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the node certificate does not parse", e);
        }
    }

    /** An in-memory PKCS#12 key store with the key and certificate under {@link #ALIAS}. */
    public KeyStore keyStore(char[] password) {
        try {
            byte[] pkcs8;
            try (PemReader r = new PemReader(new StringReader(privateKeyPem))) {
                pkcs8 = r.readPemObject().getContent();
            }
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password, new Certificate[] {x509()});
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the node key store", e);
        }
    }

    /** {@link #keyStore} serialized (for Vert.x {@code PfxOptions.setValue}). */
    public byte[] pkcs12(char[] password) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            keyStore(password).store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the node key store", e);
        }
    }

    @Override
    public String toString() {
        return "NodeCertificate[" + der.length + " bytes]";
    }
}
