package org.outcalls.transform.json.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.TransformException;
import org.outcalls.api.transform.TransformName;

class NumberTransformTest {
    private final NumberTransform number = new NumberTransform();

    private HttpResponse run(String body, String context) throws TransformException {
        return number.apply(HttpResponse.of(200, List.of(new HttpHeader("Date", "x")), body.getBytes(UTF_8)),
                context.getBytes(UTF_8));
    }

    private String apply(String body, String context) throws TransformException {
        return new String(run(body, context).body(), UTF_8);
    }

    private String error(String body, String context) {
        return assertThrows(TransformException.class, () -> apply(body, context)).getMessage();
    }

    @Test
    void registeredName() {
        assertEquals("number", NumberTransform.class.getAnnotation(TransformName.class).value());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"p\":123.45}|123.45", "{\"p\":1.50}|1.5", "{\"p\":-0}|0", "{\"p\":1E3}|1000", "{\"p\":1e25}|1e+25",
        "{\"p\":\"123.45\"}|123.45", "{\"p\":\"1.50\"}|1.5", "{\"p\":\"-2e-3\"}|-0.002", "{\"p\":\"1E+30\"}|1e+30",
        "{\"p\":99999999999999999999999.00001}|99999999999999999999999.00001",
    })
    void theValueBecomesACanonicalDecimal(String body, String out) throws TransformException {
        assertEquals(out, apply(body, "/p"));
    }

    @Test
    void statusKeptHeadersDropped() throws TransformException {
        HttpResponse out = number.apply(HttpResponse.of(203, List.of(new HttpHeader("Date", "x")),
                "{\"p\":1}".getBytes(UTF_8)), "/p".getBytes(UTF_8));
        assertEquals(203, out.status());
        assertEquals(List.of(), out.headers());
    }

    @Test
    void theSameNumberSpelledDifferentlyGivesTheSameBytes() throws TransformException {
        String a = apply("{\"data\":{\"rate\":\"0.10\"},\"t\":1}", "/data/rate");
        String b = apply("{ \"t\" : 2 , \"data\" : { \"rate\" : 1e-1 } }", "/data/rate");
        assertEquals("0.1", a);
        assertEquals(a, b);
    }

    @Test
    void theContextIsOnePointerAndAnEmptyOneIsTheWholeBody() throws TransformException {
        assertEquals("42.5", apply("42.50", ""));
        assertEquals("42.5", apply(" \"42.5\" ", "\n"));
        assertEquals("7", apply("{\"a\":[1,{\"b\":7}]}", "/a/1/b\r\n"));
        assertEquals("number: context must be one JSON Pointer, but it has 2 lines", error("{\"a\":1,\"b\":2}", "/a\n/b"));
        assertEquals("number: context: \"a\" is not a JSON Pointer: it must start with \"/\" (RFC 6901)", error("{\"a\":1}", "a"));
    }

    @Test
    void anythingButANumberOrADecimalStringSaysWhatWasFound() {
        assertEquals("number: the value at \"/p\" is an object, not a number or a string holding a decimal number",
                error("{\"p\":{\"v\":1}}", "/p"));
        assertEquals("number: the value at \"/p\" is an array, not a number or a string holding a decimal number",
                error("{\"p\":[1]}", "/p"));
        assertEquals("number: the value at \"/p\" is null, not a number or a string holding a decimal number",
                error("{\"p\":null}", "/p"));
        assertEquals("number: the value at \"/p\" is true, not a number or a string holding a decimal number",
                error("{\"p\":true}", "/p"));
        assertEquals("number: the value at \"/p\" is the string \"12,5\", which is not a decimal number (expected a JSON"
                + " number such as 123.45 or a string holding one, such as \"123.45\")", error("{\"p\":\"12,5\"}", "/p"));
        for (String s : new String[] {"", " 1", "1 ", "+1", ".5", "1.", "0x1", "NaN", "Infinity", "01", "1e", "€1"}) {
            assertTrue(error("{\"p\":\"" + s + "\"}", "/p").contains("which is not a decimal number"), s);
        }
        assertEquals("number: the value at the root is an object, not a number or a string holding a decimal number",
                error("{}", ""));
    }

    @Test
    void aMissingPointerOrABrokenBodyIsAnError() {
        assertEquals("number: pointer \"/price\" not found: the object at the root has no member \"price\"",
                error("{\"Price\":1}", "/price"));
        assertTrue(error("<html>", "/price").startsWith("number: body is not JSON: "));
        assertEquals("number: body has duplicate key \"p\" at byte offset 7", error("{\"p\":1,\"p\":2}", "/p"));
    }

    @Test
    void decimalStringsAreBounded() throws TransformException {
        String longest = "1." + "0".repeat(998);
        assertEquals("1", apply("{\"p\":\"" + longest + "\"}", "/p"));
        assertTrue(error("{\"p\":\"" + longest + "0\"}", "/p").contains("which is not a decimal number"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1e999999999|1e+999999999|its exponent is 999999999",
        "-1e-999999999|-1e-999999999|its exponent is -999999999",
        "1E+2147483647|1e+2147483647|its exponent is 2147483647",
        "\"10E+2147483647\"|1e+2147483648|its exponent is 2147483648",
        "1e101|1e+101|its exponent is 101",
        "9.99e-101|9.99e-101|its exponent is -101",
    })
    void aValueOutsideTheDecimalRangeIsATransformError(String json, String shown, String why) {
        assertEquals("number: the value at \"/p\" is " + shown + ", outside the decimal range: " + why + "; a decimal has"
                + " at most 100 significant digits, an exponent within -100..100 (a magnitude from 1e-100 to below 1e+101,"
                + " or 0) and a scale within -100..199", error("{\"p\":" + json + "}", "/p"));
    }

    @Test
    void theEdgesOfTheRangeAreValuesAndTrailingZerosDoNotCount() throws TransformException {
        String hundredNines = "9".repeat(100);
        assertEquals(hundredNines + "0".repeat(1), apply("{\"p\":" + hundredNines + "0}", "/p"));
        assertEquals("1e-100", apply("{\"p\":1e-100}", "/p"));
        assertEquals("1e+100", apply("{\"p\":\"1" + "0".repeat(100) + ".000\"}", "/p"));
        assertEquals("0", apply("{\"p\":0e-999999999}", "/p"), "zero is zero, however it is written");
        assertEquals("number: the value at \"/p\" is the string \"1e2147483648\", outside the decimal range: its exponent"
                + " is beyond ±2147483647", error("{\"p\":\"1e2147483648\"}", "/p"));
        String e = error("{\"p\":" + "1".repeat(101) + "}", "/p");
        assertEquals("number: the value at \"/p\" is 1.1111111111111111111...E+100 (101 digits), outside the decimal"
                + " range: it has 101 significant digits; a decimal has at most 100 significant digits, an exponent"
                + " within -100..100 (a magnitude from 1e-100 to below 1e+101, or 0) and a scale within -100..199", e);
    }
}
