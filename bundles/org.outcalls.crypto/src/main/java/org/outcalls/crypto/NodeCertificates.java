package org.outcalls.crypto;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.time.Duration;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import javax.net.ssl.X509TrustManager;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcEdDSAContentVerifierProviderBuilder;
import org.bouncycastle.operator.bc.BcEdECContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Self-signed X.509 certificates whose subject key is the node's Ed25519 key, for mutual TLS
 * between replicas: a peer is accepted when its certificate's key is a member's key (the
 * registry), not because a CA vouches for it ({@link #trustManager}). Built with Bouncy Castle's
 * lightweight API; the key store and trust manager use the JDK's default providers; no provider is
 * ever registered.
 */
public final class NodeCertificates {
    private static final ASN1ObjectIdentifier ED25519 = EdECObjectIdentifiers.id_Ed25519;

    private NodeCertificates() {
    }

    /** A certificate for {@code key}, valid from one hour ago for {@code validity}. CN = the node id. */
    public static NodeCertificate selfSigned(NodeKey key, Duration validity) {
        return selfSigned(key, validity, Instant.now());
    }

    public static NodeCertificate selfSigned(NodeKey key, Duration validity, Instant now) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity: must be positive");
        }
        X500Name name = new X500Name("CN=" + key.publicKey().nodeId() + ",O=Outcalls replica");
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
                    new Ed25519PublicKeyParameters(key.publicKey().bytes(), 0));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the public key", e);
        }
        byte[] serialBytes = Hash.sha256(key.publicKey().bytes(),
                Long.toString(now.toEpochMilli()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)).bytes();
        BigInteger serial = new BigInteger(1, java.util.Arrays.copyOf(serialBytes, 16));
        try {
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), name, spki)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            ContentSigner signer = new BcEdECContentSignerBuilder(new AlgorithmIdentifier(ED25519))
                    .build(key.privateParams());
            X509CertificateHolder cert = b.build(signer);
            byte[] der = cert.getEncoded();
            return new NodeCertificate(der, pem("CERTIFICATE", der), key.privateKeyPem());
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build the node certificate", e);
        }
    }

    /**
     * The node key a certificate speaks for: its subject key, if it is an Ed25519 key and the
     * certificate is correctly self-signed by it. Validity dates are the TLS layer's business.
     */
    public static PublicKey nodeKeyOf(byte[] certificateDer) throws DecodeException {
        X509CertificateHolder cert;
        try {
            cert = new X509CertificateHolder(certificateDer);
        } catch (IOException | RuntimeException e) {
            throw new DecodeException(0, "not a DER X.509 certificate: " + e.getMessage());
        }
        SubjectPublicKeyInfo spki = cert.getSubjectPublicKeyInfo();
        if (!ED25519.equals(spki.getAlgorithm().getAlgorithm())) {
            throw new DecodeException(0, "certificate key is not Ed25519 but " + spki.getAlgorithm().getAlgorithm());
        }
        byte[] raw = spki.getPublicKeyData().getOctets();
        if (raw.length != PublicKey.LENGTH) {
            throw new DecodeException(0, "Ed25519 key must be 32 bytes, got " + raw.length);
        }
        try {
            boolean ok = cert.isSignatureValid(new BcEdDSAContentVerifierProviderBuilder()
                    .build(new Ed25519PublicKeyParameters(raw, 0)));
            if (!ok) {
                throw new DecodeException(0, "certificate is not self-signed by its subject key");
            }
        } catch (CertException | OperatorCreationException | RuntimeException e) {
            throw new DecodeException(0, "cannot check the certificate signature: " + e.getMessage());
        }
        return PublicKey.wrap(raw);
    }

    /**
     * A trust manager for mutual TLS between replicas: it accepts a peer (client or server) exactly
     * when its certificate is self-signed by the Ed25519 key of one of {@code members}. No CA, no
     * host names: membership is the registry. Thread-safe.
     */
    public static X509TrustManager trustManager(Collection<PublicKey> members) {
        Set<PublicKey> allowed = Set.copyOf(members);
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                check(chain);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                check(chain);
            }

            private void check(X509Certificate[] chain) throws CertificateException {
                if (chain == null || chain.length == 0) {
                    throw new CertificateException("no certificate");
                }
                PublicKey key;
                try {
                    key = nodeKeyOf(chain[0].getEncoded());
                } catch (DecodeException e) {
                    throw new CertificateException("not a node certificate: " + e.getMessage());
                }
                if (!allowed.contains(key)) {
                    throw new CertificateException("node " + key.nodeId() + " is not a member of this subnet");
                }
                chain[0].checkValidity();
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    static String pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
