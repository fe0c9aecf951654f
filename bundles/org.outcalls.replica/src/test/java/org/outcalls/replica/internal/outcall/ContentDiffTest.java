package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.replica.Diagnostics.FieldDifference;

class ContentDiffTest {

    private static OutcallCodec.Content response(int status, String body, String... headers) {
        List<HttpHeader> h = new java.util.ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(new HttpHeader(headers[i], headers[i + 1]));
        }
        return new OutcallCodec.Content(HttpResponse.of(status, h, body.getBytes(StandardCharsets.UTF_8)), null);
    }

    private static List<String> fields(List<FieldDifference> d) {
        return d.stream().map(FieldDifference::field).toList();
    }

    @Test
    void identicalContentsHaveNoDifferences() {
        var a = response(200, "{\"a\":1}", "content-type", "application/json");
        assertTrue(ContentDiff.of(List.of(a, response(200, "{\"a\":1}", "Content-Type", "application/json"))).isEmpty());
    }

    @Test
    void namesTheHeaderAndTheJsonPointersThatDiffer() {
        var a = response(200, "{\"price\":{\"usd\":1.5},\"symbol\":\"ICP\",\"ts\":[1,2]}", "date", "Mon", "x-id", "1");
        var b = response(200, "{\"price\":{\"usd\":1.6},\"symbol\":\"ICP\",\"ts\":[1]}", "date", "Tue", "x-id", "1");
        List<FieldDifference> d = ContentDiff.of(List.of(a, b));
        assertEquals(List.of("header date", "body /price/usd", "body /ts/1"), fields(d));
        assertEquals(List.of("1.5", "1.6"), d.get(1).values());
        assertEquals(List.of("2", ContentDiff.ABSENT), d.get(2).values());
    }

    @Test
    void pointersEscapeSlashAndTilde() {
        List<FieldDifference> d = ContentDiff.of(List.of(response(200, "{\"a/b\":{\"~c\":1}}"), response(200, "{\"a/b\":{\"~c\":2}}")));
        assertEquals(List.of("body /a~1b/~0c"), fields(d));
    }

    @Test
    void nonJsonBodiesDifferAsAWholeAndStatusIsCompared() {
        List<FieldDifference> d = ContentDiff.of(List.of(response(200, "tick 1"), response(503, "tick 2")));
        assertEquals(List.of("status", "body"), fields(d));
        assertEquals(List.of("200", "503"), d.get(0).values());
    }

    @Test
    void responsesAgainstRejectsAndUnknownContents() {
        var reject = new OutcallCodec.Content(null, Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.UNREACHABLE, "refused"));
        List<FieldDifference> d = ContentDiff.of(Arrays.asList(response(200, "ok"), reject, null));
        assertEquals("outcome", d.get(0).field());
        assertEquals(List.of("response", "reject", ContentDiff.NOT_HELD), d.get(0).values());
        assertTrue(fields(d).contains("reject kind"));
        assertTrue(fields(d).contains("status"));
    }

    @Test
    void atMostMaxFieldsAreReported() {
        StringBuilder a = new StringBuilder("{");
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < 100; i++) {
            a.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
            b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(-i - 1);
        }
        List<FieldDifference> d = ContentDiff.of(List.of(response(200, a + "}"), response(200, b + "}")));
        assertEquals(ContentDiff.MAX_FIELDS, d.size());
    }
}
