package org.outcalls.crypto;

/**
 * A node's self-signed TLS certificate and the matching private key, in the forms TLS stacks take.
 *
 * @param der            the certificate, DER
 * @param certificatePem the certificate, PEM ("CERTIFICATE")
 * @param privateKeyPem  the node key, PKCS#8 PEM ("PRIVATE KEY")
 */
public record NodeCertificate(byte[] der, String certificatePem, String privateKeyPem) {
    public NodeCertificate {
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    @Override
    public String toString() {
        return "NodeCertificate[" + der.length + " bytes]";
    }
}
