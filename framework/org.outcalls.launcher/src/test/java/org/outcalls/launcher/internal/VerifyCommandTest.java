package org.outcalls.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.consensus.outcall.OutcallItem;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.testkit.StandardPlugins;
import org.outcalls.testkit.TestSubnet;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * {@code outcalls verify} on results of a real 4-replica subnet fetching from a real HTTPS
 * origin: what a genuine result rests on, every edited field of the request refused, demands a
 * single-replica result cannot meet, the median's basis, and keys of another subnet.
 */
class VerifyCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static ScriptedOrigin origin;
    private static TestSubnet subnet;
    private static ObjectNode order;

    @TempDir
    static Path temp;
    private static Path subnetFile;

    @BeforeAll
    static void start() throws Exception {
        origin = ScriptedOrigin.start()
                .route("/fixed", r -> ScriptedOrigin.Reply.text("the same for everyone"))
                .route("/order", r -> ScriptedOrigin.Reply.text("received " + r.bodyText()))
                .route("/price", r -> ScriptedOrigin.Reply.json("{\"price\": " + (10.25 + r.replica()) + "}"));
        subnet = StandardPlugins.addTo(TestSubnet.builder().origin(origin)).start();
        subnetFile = temp.resolve("subnet.json");
        Files.writeString(subnetFile, subnetDocument(subnet.subnet().genesis().subnetId(),
                subnet.subnet().genesis().registry().memberKeys()));
        order = call("{\"url\":\"" + origin.url("/order") + "\",\"method\":\"POST\",\"headers\":["
                + "{\"name\":\"accept\",\"value\":\"text/plain\"},{\"name\":\"x-note\",\"value\":\"one\"}],"
                + "\"body\":\"" + base64("amount=5") + "\",\"max_response_bytes\":4096,\"policy\":\"two-thirds\","
                + "\"transform\":{\"name\":\"keep-headers\",\"context\":\"" + base64("content-type") + "\"}}");
        assertEquals("completed", order.path("status").asText(), order.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        subnet.close();
        origin.close();
    }

    @Test
    void aTwoThirdsResultIsGenuineAndSaysHowManyReplicasAgreed() throws Exception {
        int signed = OutcallItem.decode(Base64.getDecoder().decode(order.path("certificate").asText())).shares().size();
        Run r = verify(save(order));
        assertEquals(0, r.exit, r.all());
        assertTrue(r.out.startsWith("GENUINE: " + signed + " of 4 replicas agreed on this response (policy two-thirds@"),
                r.all());
        assertTrue(r.out.contains("request: POST " + origin.url("/order") + ", policy two-thirds, transform keep-headers"),
                r.all());
        assertEquals(0, verify(save(order), "--require-policy", "two-thirds", "--min-signers", "3").exit);
    }

    @Test
    void everyEditedFieldOfTheRequestIsRefused() throws Exception {
        String notSigned = "NOT GENUINE: request: the request shown is not the one the replicas signed";
        assertRefused(d -> request(d).put("url", origin.url("/elsewhere")), notSigned);
        assertRefused(d -> ((ObjectNode) request(d).path("headers").get(0)).put("value", "application/json"), notSigned);
        assertRefused(d -> request(d).put("method", "PUT"), notSigned);
        assertRefused(d -> ((ObjectNode) request(d).path("transform")).put("context", base64("date")), notSigned);
        assertRefused(d -> request(d).put("max_response_bytes", 2_000_000), notSigned);
        assertRefused(d -> request(d).put("body_sha256", sha256Hex("amount=500")), notSigned);
        assertRefused(d -> request(d).remove("max_response_bytes"), notSigned);
        assertRefused(d -> ((ObjectNode) d.path("context")).put("attached_cycles", 1), notSigned);
        assertRefused(d -> request(d).put("policy", "single-replica"),
                "NOT GENUINE: request.policy: shows \"single-replica\", but the shares were signed under policy two-thirds@");
        assertRefused(d -> ((ObjectNode) request(d).path("transform")).put("name", "identity"),
                "NOT GENUINE: request.transform.name: shows \"identity\", but replica");
        assertRefused(d -> ((ObjectNode) d.path("context")).put("registry_version", 7),
                "NOT GENUINE: context.registry_version: shows 7");
        assertRefused(d -> ((ObjectNode) d.path("cycles")).put("charged", 1).put("refunded",
                d.path("cycles").path("attached").asLong() - 1), "NOT GENUINE: cycles.charged: shows 1");
        assertRefused(d -> ((ObjectNode) d.path("response")).put("body", base64("received amount=500")),
                "NOT GENUINE: response: 0 of 4 replicas signed this response");
    }

    @Test
    void aDocumentThatDoesNotShowItsRequestProvesNothingAboutIt() throws Exception {
        assertRefused(d -> d.remove("context"), "NOT GENUINE: context: is missing");
        assertRefused(d -> request(d).remove("url"), "NOT GENUINE: malformed result document: request.url: is required");
        assertRefused(d -> request(d).put("headers", "accept: text/plain"),
                "NOT GENUINE: malformed result document: request.headers: must be an array");
        assertRefused(d -> request(d).put("body_sha256", "00ff"),
                "NOT GENUINE: malformed result document: request.body_sha256: must be 64 lower-case hex digits");
        assertRefused(d -> d.put("certificate", "not base64!"),
                "NOT GENUINE: malformed result document: certificate: is not valid base64");

        // a second url, which a reader that keeps the last one would show: ambiguous, so not genuine
        Path twice = temp.resolve("twice.json");
        Files.writeString(twice, order.toString().replace("\"request\":{", "\"request\":{\"url\":\"https://elsewhere.example/\","));
        Run ambiguous = verify(twice);
        assertEquals(1, ambiguous.exit, ambiguous.all());
        assertTrue(ambiguous.out.startsWith("NOT GENUINE: malformed result document: request.url: appears twice"),
                ambiguous.all());

        Path notJson = temp.resolve("not.json");
        Files.writeString(notJson, "GENUINE, trust me");
        Run r = verify(notJson);
        assertEquals(2, r.exit, r.all());
        assertTrue(r.err.contains("is not a result document: document: not valid JSON"), r.all());
    }

    @Test
    void aSingleReplicaResultSaysItIsOneReplicasWordAndFailsStrongerDemands() throws Exception {
        ObjectNode single = call("{\"url\":\"" + origin.url("/fixed") + "\",\"policy\":\"single-replica\"}");
        Path file = save(single);
        Run r = verify(file);
        assertEquals(0, r.exit, r.all());
        assertTrue(r.out.startsWith("GENUINE: ONE replica (replica "), r.all());
        assertTrue(r.out.contains("that replica alone could have made it up"), r.all());

        Run policy = verify(file, "--require-policy", "two-thirds");
        assertEquals(1, policy.exit, policy.all());
        assertTrue(policy.out.startsWith("NOT ENOUGH: ONE replica"), policy.all());
        assertTrue(policy.out.contains("refused: genuine, but it was decided by policy single-replica@"), policy.all());
        assertTrue(policy.out.contains("not the required two-thirds"), policy.all());

        Run signers = verify(file, "--min-signers", "2");
        assertEquals(1, signers.exit, signers.all());
        assertTrue(signers.out.contains("refused: genuine, but it rests on 1 replica, fewer than the required 2"),
                signers.all());
    }

    @Test
    void aMedianResultStatesTheSignedValuesItIsTheMedianOf() throws Exception {
        ObjectNode median = call("{\"url\":\"" + origin.url("/price") + "\",\"policy\":\"median\",\"transform\":"
                + "{\"name\":\"number\",\"context\":\"" + base64("/price") + "\"}}");
        assertEquals("completed", median.path("status").asText(), median.toString());
        JsonNode v = median.path("value");
        Run r = verify(save(median));
        assertEquals(0, r.exit, r.all());
        assertTrue(r.out.startsWith("GENUINE: median of " + v.path("count").asInt() + " signed values (min "
                + v.path("min").asText() + ", max " + v.path("max").asText() + ") from 4 replicas"), r.all());

        // the largest signed value is never the lower median of three or more distinct values
        Run edited = verify(save(edit(median, d -> ((ObjectNode) d.path("value")).put("median", v.path("max").asText()))));
        assertEquals(1, edited.exit, edited.all());
        assertTrue(edited.out.startsWith("NOT GENUINE: value: the signed values give median"), edited.all());
    }

    @Test
    void aResultIsNotGenuineUnderAnotherSubnetsKeys() throws Exception {
        List<PublicKey> strangers = List.of(NodeKey.generate().publicKey(), NodeKey.generate().publicKey(),
                NodeKey.generate().publicKey(), NodeKey.generate().publicKey());
        Path elsewhere = temp.resolve("elsewhere.json");
        Files.writeString(elsewhere, subnetDocument(sha256Hex("another subnet"), strangers));
        Run r = run("verify", save(order).toString(), "--subnet", elsewhere.toString());
        assertEquals(1, r.exit, r.all());
        assertTrue(r.out.startsWith("NOT GENUINE: context.subnet_id: the result is from subnet "), r.all());

        Path sameIdOtherKeys = temp.resolve("impostor.json");
        Files.writeString(sameIdOtherKeys, subnetDocument(subnet.subnet().genesis().subnetId(), strangers));
        Run forged = run("verify", save(order).toString(), "--subnet", sameIdOtherKeys.toString());
        assertEquals(1, forged.exit, forged.all());
        assertTrue(forged.out.startsWith("NOT GENUINE: certificate: share of replica "), forged.all());
        assertTrue(forged.out.contains("has a bad signature"), forged.all());
    }

    @Test
    void wrongUsageAndUnusableKeysExitTwo() throws Exception {
        Path noId = temp.resolve("no-id.json");
        Files.writeString(noId, "{\"replicas\":[]}");
        Run r = run("verify", save(order).toString(), "--subnet", noId.toString());
        assertEquals(2, r.exit, r.all());
        assertTrue(r.err.contains("is not a usable subnet document: subnet_id: is required"), r.all());
        assertEquals(2, verify(save(order), "--min-signers", "-1").exit);
        assertEquals(2, verify(save(order), "--min-signers", "two").exit);
    }

    @Test
    void theDocumentedSchemaDeclaresEveryFieldOfARealDocument() throws Exception {
        JsonNode schema = MAPPER.readTree(Path.of("../../docs/result-document.schema.json").toFile());
        assertDeclared(order, schema, schema, "");
        schema.path("required").forEach(f -> assertTrue(order.has(f.asText()), "required " + f));
        schema.path("$defs").path("request").path("required").forEach(f -> assertTrue(order.path("request").has(f.asText()),
                "required request." + f));
        schema.path("$defs").path("context").path("required").forEach(f -> assertTrue(order.path("context").has(f.asText()),
                "required context." + f));
    }

    /** Every field of {@code doc} has a schema, followed through {@code $ref}s and array items. */
    private static void assertDeclared(JsonNode doc, JsonNode schema, JsonNode root, String path) {
        JsonNode s = schema;
        while (s.has("$ref")) {
            s = root.at(s.path("$ref").asText().substring(1));
        }
        if (doc.isObject()) {
            JsonNode properties = s.path("properties");
            for (var it = doc.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                assertTrue(properties.has(name), "the schema does not declare " + path + name);
                assertDeclared(doc.get(name), properties.get(name), root, path + name + ".");
            }
        } else if (doc.isArray()) {
            for (JsonNode item : doc) {
                assertDeclared(item, s.path("items"), root, path);
            }
        }
    }

    // --- helpers

    private static void assertRefused(Consumer<ObjectNode> change, String expected) throws Exception {
        Run r = verify(save(edit(order, change)));
        assertEquals(1, r.exit, r.all());
        assertTrue(r.out.startsWith(expected), "expected '" + expected + "', got:\n" + r.all());
    }

    private static ObjectNode edit(ObjectNode doc, Consumer<ObjectNode> change) {
        ObjectNode copy = doc.deepCopy();
        change.accept(copy);
        return copy;
    }

    private static ObjectNode request(ObjectNode doc) {
        return (ObjectNode) doc.path("request");
    }

    private static ObjectNode call(String requestJson) throws Exception {
        return (ObjectNode) subnet.call(requestJson);
    }

    private static Path save(JsonNode doc) throws Exception {
        Path f = Files.createTempFile(temp, "result", ".json");
        Files.writeString(f, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        return f;
    }

    private static String subnetDocument(String subnetId, List<PublicKey> keys) {
        ObjectNode doc = MAPPER.createObjectNode().put("subnet_id", subnetId);
        ArrayNode replicas = doc.putArray("replicas");
        for (int i = 0; i < keys.size(); i++) {
            replicas.addObject().put("index", i).put("public_key", keys.get(i).hex());
        }
        return doc.toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Run(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n" + out + err;
        }
    }

    private static Run verify(Path result, String... flags) {
        String[] args = new String[flags.length + 4];
        args[0] = "verify";
        args[1] = result.toString();
        args[2] = "--subnet";
        args[3] = subnetFile.toString();
        System.arraycopy(flags, 0, args, 4, flags.length);
        return run(args);
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.commandLine().execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
