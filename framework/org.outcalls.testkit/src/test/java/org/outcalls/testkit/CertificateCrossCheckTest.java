package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.outcalls.api.verify.Basis;
import org.outcalls.api.verify.Certificate;
import org.outcalls.api.verify.DocumentException;
import org.outcalls.api.verify.ResultDocument;
import org.outcalls.api.verify.ResultVerifier;
import org.outcalls.api.verify.Share;
import org.outcalls.api.verify.Verdict;
import org.outcalls.consensus.outcall.CertificateVerifier;
import org.outcalls.consensus.outcall.OutcallItem;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * The API's JDK-only verifier on real certificates from a real 4-replica subnet — an agreed
 * response, a single replica's, a median, an agreed fetch error and a proof of no consensus —
 * against the replicas' own decoding and Bouncy Castle signature checks, genuine and tampered:
 * the documents verify, the context digest recomputed from each document is the one the replicas
 * signed, and on every flipped byte of a certificate both sides accept and refuse alike.
 */
class CertificateCrossCheckTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static ScriptedOrigin origin;
    private static TestSubnet subnet;
    private static List<PublicKey> keys;
    private static String subnetJson;

    @BeforeAll
    static void start() throws Exception {
        origin = ScriptedOrigin.start()
                .route("/fixed", r -> ScriptedOrigin.Reply.text("the same for everyone"))
                .route("/price", r -> ScriptedOrigin.Reply.json("{\"price\": " + (3.5 + r.replica()) + "}"));
        subnet = BundledPlugins.all(TestSubnet.builder().origin(origin)).start();
        keys = subnet.subnet().genesis().registry().memberKeys();
        subnetJson = subnetDocument(subnet);
    }

    @AfterAll
    static void stop() throws Exception {
        subnet.close();
        origin.close();
    }

    @Test
    void realCertificatesOfEveryKindAgreeAndTamperingIsRefusedAlike() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        List<String> requests = List.of(
                "{\"url\":\"" + origin.url("/fixed") + "\",\"headers\":[{\"name\":\"accept\",\"value\":\"text/plain\"}]}",
                "{\"url\":\"" + origin.url("/fixed") + "\",\"policy\":\"single-replica\"}",
                "{\"url\":\"" + origin.url("/price") + "\",\"policy\":\"median\",\"transform\":{\"name\":\"number\","
                        + "\"context\":\"L3ByaWNl\"}}",
                "{\"url\":\"https://localhost:" + closedPort + "/\",\"method\":\"POST\",\"body\":\"aGk=\"}",
                "{\"url\":\"" + origin.url("/price") + "\"}");
        List<Basis.Kind> kinds = List.of(Basis.Kind.AGREED, Basis.Kind.SINGLE_REPLICA, Basis.Kind.MEDIAN, Basis.Kind.AGREED,
                Basis.Kind.NO_CONSENSUS);
        Random random = new Random(77);
        for (int i = 0; i < requests.size(); i++) {
            JsonNode doc = subnet.call(requests.get(i));
            Verdict verdict = ResultVerifier.verify(doc.toString(), subnetJson);
            assertTrue(verdict.genuine(), verdict.explanation() + "\n" + doc);
            assertEquals(kinds.get(i), verdict.basis().orElseThrow().kind(), verdict.explanation());

            byte[] certificate = Base64.getDecoder().decode(doc.path("certificate").asText());
            OutcallItem item = OutcallItem.decode(certificate);
            ResultDocument parsed = ResultDocument.parse(doc.toString());
            assertEquals(item.contextDigest().hex(), parsed.context().orElseThrow().digestHex(),
                    "the document shows the context the replicas signed");
            assertTrue(viaConsensus(parsed).genuine());

            for (int t = 0; t < 25; t++) {
                byte[] tampered = certificate.clone();
                tampered[random.nextInt(tampered.length)] ^= (byte) (1 << random.nextInt(8));
                boolean replicas = decodesAndIsSigned(tampered);
                assertEquals(replicas, apiDecodesAndIsSigned(tampered), "decoding and signatures of a tampered certificate");
                ObjectNode edited = ((ObjectNode) doc.deepCopy()).put("certificate", Base64.getEncoder().encodeToString(tampered));
                Verdict v = ResultVerifier.verify(edited.toString(), subnetJson);
                if (v.genuine()) {
                    assertTrue(replicas, "genuine only if the replicas' own checks pass: " + v.explanation());
                }
                assertEquals(v.genuine(), viaConsensus(ResultDocument.parse(edited.toString())).genuine());
            }
        }
    }

    /** What {@code GET /api/v1/subnet} says of the keys: the subnet id and each replica's public key. */
    private static String subnetDocument(TestSubnet s) {
        ObjectNode doc = MAPPER.createObjectNode().put("subnet_id", s.subnet().genesis().subnetId());
        com.fasterxml.jackson.databind.node.ArrayNode replicas = doc.putArray("replicas");
        s.subnet().genesis().registry().memberKeys().forEach(k -> replicas.addObject().put("public_key", k.hex()));
        return doc.toString();
    }

    private static CertificateVerifier.Verdict viaConsensus(ResultDocument d) {
        return CertificateVerifier.verify(d, Hash.fromHex(subnet.subnet().genesis().subnetId()), keys);
    }

    /** The replicas' own reading: the item decodes and every share verifies under its signer's key (Bouncy Castle). */
    private static boolean decodesAndIsSigned(byte[] certificate) {
        try {
            OutcallItem item = OutcallItem.decode(certificate);
            BatchVerifier verifier = new BatchVerifier(4);
            for (SignedShare s : item.shares()) {
                if (s.signer() >= keys.size() || !s.verify(keys.get(s.signer()), verifier)) {
                    return false;
                }
            }
            return true;
        } catch (DecodeException e) {
            return false;
        }
    }

    /** The API's reading: the certificate decodes and every share verifies under its signer's key (the JDK). */
    private static boolean apiDecodesAndIsSigned(byte[] certificate) {
        try {
            Certificate cert = Certificate.decode(certificate);
            for (Share s : cert.shares()) {
                if (s.signer() >= keys.size() || !s.signedBy(keys.get(s.signer()).bytes())) {
                    return false;
                }
            }
            return true;
        } catch (DocumentException e) {
            return false;
        }
    }

    @Test
    void aDocumentFromAnotherSubnetIsRefused() throws Exception {
        JsonNode doc = subnet.call("{\"url\":\"" + origin.url("/fixed") + "\"}");
        try (TestSubnet other = BundledPlugins.all(TestSubnet.builder().origin(origin)).start()) {
            Verdict v = ResultVerifier.verify(doc.toString(), subnetDocument(other));
            assertFalse(v.genuine());
            assertEquals("context.subnet_id", v.field().orElseThrow(), v.explanation());
        }
    }
}
