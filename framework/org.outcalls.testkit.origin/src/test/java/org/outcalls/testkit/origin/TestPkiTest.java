package org.outcalls.testkit.origin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateExpiredException;
import org.junit.jupiter.api.Test;

class TestPkiTest {

    @Test
    void issuesCertificatesSignedByTheCa() throws Exception {
        TestPki pki = TestPki.create("test-ca");
        TestPki.Issued leaf = pki.issueLocalhost();
        assertDoesNotThrow(() -> leaf.certificate().verify(pki.caCertificate().getPublicKey()));
        assertDoesNotThrow(() -> leaf.certificate().checkValidity());
        assertTrue(leaf.certificatePem().contains("BEGIN CERTIFICATE"));
        assertTrue(leaf.keyPem().contains("BEGIN PRIVATE KEY"), leaf.keyPem());
    }

    @Test
    void expiredCertificateIsExpired() {
        TestPki.Issued expired = TestPki.create("test-ca").issueExpired();
        assertThrows(CertificateExpiredException.class, () -> expired.certificate().checkValidity());
    }
}
