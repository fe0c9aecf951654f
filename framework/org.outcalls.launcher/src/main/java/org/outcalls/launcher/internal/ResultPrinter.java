package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Prints an outcall result for a person: the agreed response, the aggregate value or the reject. */
final class ResultPrinter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultPrinter() {
    }

    static void print(JsonNode result, PrintStream out) {
        String status = result.path("status").asText();
        JsonNode cycles = result.path("cycles");
        String accounting = cycles.isMissingNode() ? "" : " (cycles: attached " + cycles.path("attached").asLong()
                + ", charged " + cycles.path("charged").asLong() + ", refunded " + cycles.path("refunded").asLong() + ")";
        out.println(status + " at height " + result.path("height").asLong() + accounting);
        if (result.has("reject")) {
            JsonNode r = result.get("reject");
            out.println("reject: " + r.path("code").asText() + " (" + r.path("kind").asText() + ")");
            out.println("  " + r.path("message").asText().replace("\n", "\n  "));
            return;
        }
        if (result.has("value")) {
            JsonNode v = result.get("value");
            out.println("median " + v.path("median").asText() + " of " + v.path("count").asInt() + " values (min "
                    + v.path("min").asText() + ", max " + v.path("max").asText() + ")");
            return;
        }
        JsonNode response = result.path("response");
        out.println("HTTP " + response.path("status").asInt());
        for (JsonNode h : response.path("headers")) {
            out.println(h.path("name").asText() + ": " + h.path("value").asText());
        }
        out.println();
        byte[] body = Base64.getDecoder().decode(response.path("body").asText(""));
        out.println(prettyIfJson(body));
    }

    static String prettyIfJson(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(MAPPER.readTree(body));
            } catch (IOException e) {
                return text;
            }
        }
        return text;
    }
}
