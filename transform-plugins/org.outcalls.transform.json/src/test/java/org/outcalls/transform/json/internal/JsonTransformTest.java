package org.outcalls.transform.json.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.TransformException;

class JsonTransformTest {
    private final JsonTransform json = new JsonTransform();

    private static HttpResponse response(String body) {
        return response(body.getBytes(UTF_8));
    }

    private static HttpResponse response(byte[] body) {
        return HttpResponse.of(200, List.of(new HttpHeader("Date", "Sun, 22 Nov 2026 04:00:00 GMT"),
                new HttpHeader("Content-Type", "application/json")), body);
    }

    private String apply(String body, String context) throws TransformException {
        return new String(json.apply(response(body), context.getBytes(UTF_8)).body(), UTF_8);
    }

    private String error(String body, String context) {
        return assertThrows(TransformException.class, () -> apply(body, context)).getMessage();
    }

    // ---- the point of it: equal values give equal bytes, different values different bytes ----

    @Test
    void keyOrderWhitespaceAndNumberFormDoNotChangeTheOutput() throws TransformException {
        String a = "{\"time\":\"04:00:01\",\"data\":{\"price\":1.50,\"tags\":[\"x\",\"é\"],\"n\":{\"b\":1E3,\"a\":-0}},\"ok\":true}";
        String b = "{ \"ok\" : true ,\n\t\"data\" : { \"n\" : { \"a\" : 0.0 , \"b\" : 1000 } ,"
                + " \"tags\" : [ \"x\" , \"\\u00e9\" ] , \"price\" : 15e-1 } , \"time\" : \"04:00:02\" }\r\n";
        String context = "/data/price\n/data/n\n/data/tags\n/ok";
        String out = apply(a, context);
        assertEquals("{\"/data/n\":{\"a\":0,\"b\":1000},\"/data/price\":1.5,\"/data/tags\":[\"x\",\"é\"],\"/ok\":true}", out);
        assertArrayEquals(json.apply(response(a), context.getBytes(UTF_8)).body(),
                json.apply(response(b), context.getBytes(UTF_8)).body());
    }

    @Test
    void aDifferentSelectedValueGivesADifferentOutput() throws TransformException {
        String context = "/data/price";
        assertFalse(apply("{\"data\":{\"price\":1.5}}", context).equals(apply("{\"data\":{\"price\":1.51}}", context)));
        assertFalse(apply("{\"data\":{\"price\":\"a\"}}", context).equals(apply("{\"data\":{\"price\":\"A\"}}", context)));
        assertFalse(apply("{\"data\":{\"price\":[1,2]}}", context).equals(apply("{\"data\":{\"price\":[2,1]}}", context)));
        assertFalse(apply("{\"data\":{\"price\":\"1\"}}", context).equals(apply("{\"data\":{\"price\":1}}", context)));
        assertFalse(apply("{\"data\":{\"price\":null}}", context).equals(apply("{\"data\":{\"price\":false}}", context)));
    }

    @Test
    void outputIsKeyedByPointerSortedWhateverTheContextOrderAndRepeatedPointersCountOnce() throws TransformException {
        String body = "{\"b\":2,\"a\":1,\"c\":[3,4]}";
        assertEquals("{\"/a\":1,\"/b\":2,\"/c/1\":4}", apply(body, "/c/1\n/b\n/a\n/b"));
        assertEquals("{\"/a\":1,\"/b\":2,\"/c/1\":4}", apply(body, "\n/a\r\n\r\n/b\n/c/1\n"));
    }

    @Test
    void statusIsKeptAndAllHeadersDropped() throws TransformException {
        HttpResponse in = HttpResponse.of(404, List.of(new HttpHeader("Content-Type", "application/json")),
                "{\"e\":\"x\"}".getBytes(UTF_8));
        HttpResponse out = json.apply(in, "/e".getBytes(UTF_8));
        assertEquals(404, out.status());
        assertEquals(List.of(), out.headers());
        assertEquals("{\"/e\":\"x\"}", new String(out.body(), UTF_8));
    }

    @Test
    void selectedObjectsAndArraysAreCanonicalAllTheWayDown() throws TransformException {
        String body = "{\"x\":{\"z\":[{\"d\":1,\"c\":{\"f\":1.0,\"e\":[]}},{}],\"y\":{},\"a\":\"\"}}";
        assertEquals("{\"/x\":{\"a\":\"\",\"y\":{},\"z\":[{\"c\":{\"e\":[],\"f\":1},\"d\":1},{}]}}", apply(body, "/x"));
    }

    @Test
    void thePointerKeysAreEscapedLikeAnyString() throws TransformException {
        assertEquals("{\"/a\\\"b\":1,\"/t\\tab\":2}", apply("{\"a\\\"b\":1,\"t\\tab\":2}", "/a\"b\n/t\tab"));
    }

    // ---- strings and unicode ----

    @Test
    void escapedAndLiteralFormsOfTheSameStringAreTheSame() throws TransformException {
        String literal = apply("{\"s\":\"é€😀/\"}", "/s");
        assertEquals("{\"/s\":\"é€😀/\"}", literal);
        assertEquals(literal, apply("{\"s\":\"\\u00e9\\u20AC\\ud83d\\ude00\\/\"}", "/s"));
        assertEquals(literal, apply("{\"s\":\"\\u00E9\\u20ac\\uD83D\\uDE00/\"}", "/s"));
        assertEquals(literal, apply("{\"s\":\"é\\u20ac😀\\u002f\"}", "/s"));
        byte[] out = json.apply(response("{\"s\":\"\\ud83d\\ude00\"}"), "/s".getBytes(UTF_8)).body();
        assertArrayEquals(new byte[] {'{', '"', '/', 's', '"', ':', '"', (byte) 0xf0, (byte) 0x9f, (byte) 0x98,
                (byte) 0x80, '"', '}'}, out, "a surrogate pair becomes one 4-byte UTF-8 character");
    }

    @Test
    void escapingIsMinimalAndFixed() throws TransformException {
        String body = "{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0000\\u001F\\u0001 \\u007f \\u2028 \\u00a0 <>&'\"}";
        assertEquals("{\"/s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0000\\u001f\\u0001 \u007f \u2028 \u00a0 <>&'\"}",
                apply(body, "/s"));
    }

    @Test
    void unpairedSurrogatesStayEscapedInLowerCase() throws TransformException {
        assertEquals("{\"/s\":\"a\\ud800b\\udc00\\udbff\"}", apply("{\"s\":\"a\\uD800b\\udc00\\uDBFF\"}", "/s"));
        assertEquals("{\"/s\":\"\\ude00\\ud83d\"}", apply("{\"s\":\"\\ude00\\ud83d\"}", "/s"),
                "a low surrogate before a high one is not a pair");
    }

    @Test
    void memberNamesWithUnpairedSurrogatesAreRejected() {
        assertEquals("json: body is not JSON: Unexpected low surrogate in field name: 0xdda0 at byte offset 8",
                error("{\"\\udda0\":1,\"a\":1}", "/a"));
        assertTrue(error("{\"\\ud800\":1,\"a\":1}", "/a").startsWith("json: body is not JSON: Broken surrogate pair"));
    }

    @Test
    void membersAreSortedByUtf16CodeUnitsAndEscapedNamesAreEqualToLiteralOnes() throws TransformException {
        // U+E000 sorts after the surrogate pair of U+1F600 in UTF-16 order (D83D < E000)
        String body = "{\"o\":{\"\uE000\":1,\"\\ud83d\\ude00\":2,\"b\":3,\"B\":4,\"\u00e9\":5,\"a\":6,\"\":7}}";
        assertEquals("{\"/o\":{\"\":7,\"B\":4,\"a\":6,\"b\":3,\"é\":5,\"😀\":2,\"\uE000\":1}}", apply(body, "/o"));
        assertEquals("{\"/é\":1}", apply("{\"\\u00e9\":1}", "/é"));
    }

    @Test
    void utf8BodiesAreCheckedAndALeadingByteOrderMarkIsSkipped() throws TransformException {
        String e = assertThrows(TransformException.class, () -> json.apply(
                response(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'}), "/a".getBytes(UTF_8))).getMessage();
        assertTrue(e.startsWith("json: body is not JSON: Invalid UTF-8"), e);
        assertTrue(e.contains("byte offset"), e);
        byte[] out = json.apply(response(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '"', 'a', '"', ':',
                '1', '}'}), "/a".getBytes(UTF_8)).body();
        assertEquals("{\"/a\":1}", new String(out, UTF_8));
    }

    // ---- numbers ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0", "-0|0", "-0.0|0", "0e10|0", "0.000E-5|0",
        "1|1", "1.0|1", "1.50|1.5", "-1.50|-1.5", "1E3|1000", "1e+3|1000", "1000e-3|1", "12.345e1|123.45",
        "100|100", "10e1|100", "0.1|0.1", "1e-1|0.1", "123456789|123456789",
        "1e20|100000000000000000000", "1e21|1e+21", "12e20|1200000000000000000000", "15e20|1500000000000000000000", "15e21|1.5e+22", "-1e21|-1e+21",
        "1234567890000000000000000000|1234567890000000000000000000", "123e-30|1.23e-28",
        "0.000001|0.000001", "1e-6|0.000001", "1e-7|1e-7", "0.0000001234|1.234e-7", "-1.5E-10|-1.5e-10",
        "123456789012345678901234567890|123456789012345678901234567890",
        "123456789012345678901234567890e1|1234567890123456789012345678900",
        "99999999999999999999.5|99999999999999999999.5",
        "0.1000000000000000055511151231257827|0.1000000000000000055511151231257827",
        "9007199254740993|9007199254740993",
        "1e999999999|1e+999999999", "-2.5E-999999999|-2.5e-999999999", "1e2147483647|1e+2147483647",
    })
    void numbersAreWrittenInOneExactForm(String in, String out) throws TransformException {
        assertEquals("{\"/n\":" + out + "}", apply("{\"n\":" + in + "}", "/n"));
        assertEquals("{\"/0\":" + out + "}", apply("[" + in + "]", "/0"));
    }

    @Test
    void numbersStayBoundedWhateverTheirExponent() throws TransformException {
        String digits = "1" + "2".repeat(988) + "3"; // 990 digits and a 9-digit exponent: 999 of 1000
        String out = apply("{\"n\":" + digits + "e-999999999}", "/n");
        assertEquals("{\"/n\":1." + "2".repeat(988) + "3e-999999010}", out);
        assertTrue(out.length() < 990 + 30);
    }

    @Test
    void aNumberTooLongOrWithAnExponentOutOfRangeIsAnError() {
        String e = error("{\"n\":" + "1".repeat(1001) + "}", "/n");
        assertTrue(e.startsWith("json: body is not JSON: Number value length (1001) exceeds"), e);
        assertTrue(e.contains("at byte offset"), e);
        e = error("{\"n\":1,\"m\":1e99999999999}", "/m");
        assertEquals("json: the number at byte offset 11 has an exponent too large to represent (beyond ±2147483647)", e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "+1", ".5", "1.", "1e", "NaN", "Infinity", "-", "0x10", "1_000"})
    void numbersOutsideTheJsonGrammarAreNotJson(String n) {
        String e = error("{\"n\":" + n + "}", "/n");
        assertTrue(e.startsWith("json: body is not JSON: "), e);
        assertTrue(e.contains("byte offset"), e);
    }

    // ---- malformed bodies ----

    @Test
    void duplicateKeysAreAnErrorWithTheirOffsetWhereverTheyAre() {
        assertEquals("json: body has duplicate key \"a\" at byte offset 7", error("{\"a\":1,\"a\":1}", "/a"));
        assertEquals("json: body has duplicate key \"a\" at byte offset 7", error("{\"a\":1,\"\\u0061\":2}", "/a"),
                "an escaped name is the same name");
        assertEquals("json: body has duplicate key \"k\" at byte offset 25",
                error("{\"a\":1,\"skipped\":[{\"k\":1,\"k\":2}]}", "/a"), "also in parts no pointer selects");
        assertEquals("json: body has duplicate key \"k\" at byte offset 19",
                error("{\"a\":{\"k\":{},\"j\":1,\"k\":{}}}", "/a/j"), "also in partly read objects");
        assertEquals("json: body has duplicate key \"k\" at byte offset 13",
                error("{\"a\":{\"k\":[],\"k\":[]}}", "/a"), "also inside a selected value");
    }

    @Test
    void theSameNameInDifferentObjectsIsFine() throws TransformException {
        assertEquals("{\"/a/k\":1,\"/b/k\":2}", apply("{\"a\":{\"k\":1},\"b\":{\"k\":2}}", "/a/k\n/b/k"));
    }

    @Test
    void nestingIsBounded() throws TransformException {
        String ok = "[".repeat(64) + "1" + "]".repeat(64);
        assertEquals("{\"/0\":" + "[".repeat(63) + "1" + "]".repeat(63) + "}", apply(ok, "/0"));
        String deep = "[".repeat(65) + "1" + "]".repeat(65);
        assertEquals("json: body nests arrays and objects deeper than 64 levels at byte offset 64", error(deep, "/0"));
        // the root object is level 1, so the 64th bracket is level 65
        String hostile = "{\"a\":1,\"b\":" + "[".repeat(200_000);
        assertEquals("json: body nests arrays and objects deeper than 64 levels at byte offset 74", error(hostile, "/a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":1,}", "{'a':1}", "// c\n{\"a\":1}", "{\"a\":1}}", "{\"a\" 1}", "[1 2]",
        "{\"a\":tru}", "{\"a\":\"x\ny\"}", "<html>", "{\"a\":1} {\"a\":1}", "{\"a\":1}x", "{\"a\":\"\\x\"}"})
    void malformedBodiesAreNotJsonWithAnOffset(String body) {
        String e = error(body, "/a");
        assertTrue(e.startsWith("json: body is not JSON: "), e);
        assertTrue(e.matches(".* at byte offset \\d+"), e);
    }

    @Test
    void anEmptyBodyIsNotJson() {
        assertEquals("json: body is not JSON: it is empty", error("", "/a"));
        assertEquals("json: body is not JSON: it is empty (only whitespace)", error(" \n", "/a"));
    }

    @Test
    void aScalarOrAnyValueCanBeTheWholeDocument() throws TransformException {
        assertEquals("{\"/a\":[1]}", apply("{\"a\":[1]}", "/a"));
        assertEquals("{\"/1\":\"b\"}", apply("[\"a\",\"b\"]", "/1"));
        String e = error("42", "/a");
        assertEquals("json: pointer \"/a\" not found: the value at the root is a number, not an object or an array", e);
    }

    // ---- pointers ----

    @Test
    void pointersFollowRfc6901Escapes() throws TransformException {
        String body = "{\"a/b\":1,\"m~n\":2,\"\":3,\" \":4,\"~1\":5,\"x\":{\"\":{\"0\":6}}}";
        assertEquals("{\"/\":3,\"/ \":4,\"/a~1b\":1,\"/m~0n\":2,\"/x//0\":6,\"/~01\":5}",
                apply(body, "/a~1b\n/m~0n\n/\n/ \n/~01\n/x//0"));
    }

    @Test
    void aMissingMemberNamesThePointerAndWhereItStopped() {
        assertEquals("json: pointer \"/data/price\" not found: the object at \"/data\" has no member \"price\"",
                error("{\"data\":{\"Price\":1}}", "/data/price"));
        assertEquals("json: pointer \"/data\" not found: the object at the root has no member \"data\"",
                error("{\"Data\":{}}", "/data"));
        assertEquals("json: pointer \"/a/b/c\" not found: the value at \"/a/b\" is a string, not an object or an array",
                error("{\"a\":{\"b\":\"s\"}}", "/a/b/c"));
        assertEquals("json: pointer \"/a/0\" not found: the value at \"/a\" is null, not an object or an array",
                error("{\"a\":null}", "/a/0"));
    }

    @Test
    void theFirstFailingPointerInContextOrderIsReported() {
        assertEquals("json: pointer \"/z\" not found: the object at the root has no member \"z\"",
                error("{\"a\":1}", "/a\n/z\n/b"));
    }

    @Test
    void arrayIndicesAreCheckedStrictly() {
        String body = "{\"a\":[10,20,30]}";
        assertEquals("json: pointer \"/a/3\" not found: index 3 is out of range: the array at \"/a\" has 3 elements",
                error(body, "/a/3"));
        assertEquals("json: pointer \"/a/01\" not found: \"01\" is not an array index, and the value at \"/a\" is an array",
                error(body, "/a/01"));
        assertEquals("json: pointer \"/a/-\" not found: \"-\" is not an array index, and the value at \"/a\" is an array"
                + " (\"-\" names the element after the last one)", error(body, "/a/-"));
        assertEquals("json: pointer \"/a/99999999999999999999\" not found: index 99999999999999999999 is out of range:"
                + " the array at \"/a\" has 3 elements", error(body, "/a/99999999999999999999"));
        assertEquals("json: pointer \"/a/ 1\" not found: \" 1\" is not an array index, and the value at \"/a\" is an array",
                error(body, "/a/ 1"));
    }

    @Test
    void theContextMustHoldPointers() {
        assertEquals("json: context names no JSON Pointer; give one per line, such as /data/price", error("{}", ""));
        assertEquals("json: context names no JSON Pointer; give one per line, such as /data/price", error("{}", "\n\r\n"));
        assertEquals("json: context line 2: \"data/price\" is not a JSON Pointer: it must start with \"/\" (RFC 6901)",
                error("{}", "/a\ndata/price"));
        assertEquals("json: context line 1: \"/a~2\" is not a JSON Pointer: \"~\" at index 2 must be followed by 0 or 1"
                + " (RFC 6901 writes \"~\" as ~0 and \"/\" as ~1)", error("{}", "/a~2"));
        assertTrue(error("{}", "/a~").startsWith("json: context line 1: \"/a~\" is not a JSON Pointer: \"~\" at index 2"));
        String e = assertThrows(TransformException.class,
                () -> json.apply(response("{}"), new byte[] {'/', (byte) 0xfe})).getMessage();
        assertEquals("json: context is not valid UTF-8 text", e);
    }

    @Test
    void theOutputReadsBackToTheSameValues() throws TransformException {
        String body = "{\"a\":{\"s\":\"\\u0001\\ud800😀\\\"\",\"n\":[1e30,-0.5]}}";
        String once = apply(body, "/a");
        String again = apply(once, "/~1a");
        assertEquals(once.substring("{\"/a\":".length()), again.substring("{\"/~1a\":".length()));
    }

    @Test
    void oneInstanceServesManyCallsAndManyInstancesAgree() throws TransformException {
        String body = "{\"b\":[1,{\"y\":2,\"x\":1}],\"a\":\"é\"}";
        String first = apply(body, "/a\n/b");
        for (int i = 0; i < 3; i++) {
            assertEquals(first, apply(body, "/b\n/a"));
            assertEquals(first, new String(new JsonTransform().apply(response(body), "/a\n/b".getBytes(UTF_8)).body(), UTF_8));
        }
    }
}
