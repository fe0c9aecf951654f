package org.outcalls.api.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verifier's own JSON reader: RFC 8259, strictly. */
class JsonTest {
    @Test
    void readsEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\u00e9\\n\\\"\\ud83d\\ude00\", \"c\": {}} ",
                "document");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, Json.NULL), m.get("a"));
        assertEquals("xé\n\"\uD83D\uDE00", m.get("b"));
        assertEquals(Map.of(), m.get("c"));
    }

    @Test
    void refusesWhatIsNotStrictJson() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1,]", "{\"a\":1}x", "01", "1.", "-",
                "\"tab\there\"", "\"\\x\"", "{a:1}", "'s'", "tru", "[" .repeat(100) + "]".repeat(100), "1e", "\"\\u12\"")) {
            DocumentException e = assertThrows(DocumentException.class, () -> Json.parse(bad, "document"), bad);
            assertTrue(e.getMessage().startsWith("document: not valid JSON: "), e.getMessage());
        }
    }

    @Test
    void aFieldThatAppearsTwiceIsNamed() {
        DocumentException e = assertThrows(DocumentException.class,
                () -> Json.parse("{\"request\":{\"headers\":[{\"name\":\"a\",\"name\":\"b\"}]}}", "document"));
        assertEquals("request.headers[0].name", e.field());
        assertEquals("request.headers[0].name: appears twice", e.getMessage());
    }

    @Test
    void aHugeExponentIsNeverExpanded() throws Exception {
        JsonObject o = JsonObject.root("{\"n\": 1e999999999, \"m\": 12e1, \"f\": 1.5, \"neg\": -1}", "document");
        DocumentException e = assertThrows(DocumentException.class, () -> o.whole("n"));
        assertEquals("n", e.field());
        assertEquals(120, o.whole("m"));
        assertThrows(DocumentException.class, () -> o.whole("f"));
        assertThrows(DocumentException.class, () -> o.whole("neg"));
    }
}
