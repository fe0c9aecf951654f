package org.outcalls.replica.internal.outcall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.replica.Diagnostics.FieldDifference;

/**
 * Which fields differ between the contents replicas signed for one request: the outcome (response
 * or reject), the status, each header (by lower-case name), and the body — for JSON bodies, every
 * JSON pointer whose value differs. Local diagnostics only: never part of replicated execution.
 */
public final class ContentDiff {
    /** At most this many differing fields are reported. */
    public static final int MAX_FIELDS = 32;
    static final String ABSENT = "(absent)";
    static final String NOT_HELD = "(content not held)";
    private static final int MAX_VALUE_CHARS = 120;
    private static final int MAX_JSON_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private ContentDiff() {
    }

    /**
     * The differing fields of the given contents, one per group in order; a null content is a group
     * whose content this replica does not hold.
     */
    public static List<FieldDifference> of(List<OutcallCodec.Content> contents) {
        List<FieldDifference> out = new ArrayList<>();
        if (contents.size() < 2) {
            return out;
        }
        add(out, "outcome", contents, c -> c.isReject() ? "reject" : "response");
        boolean anyReject = contents.stream().anyMatch(c -> c != null && c.isReject());
        boolean anyResponse = contents.stream().anyMatch(c -> c != null && !c.isReject());
        if (anyReject) {
            add(out, "reject code", contents, c -> c.isReject() ? c.reject().code().name() : ABSENT);
            add(out, "reject kind", contents, c -> c.isReject() ? c.reject().kind().wireName() : ABSENT);
            add(out, "reject message", contents, c -> c.isReject() ? c.reject().message() : ABSENT);
        }
        if (anyResponse) {
            add(out, "status", contents, c -> c.isReject() ? ABSENT : Integer.toString(c.response().status()));
            Set<String> names = new TreeSet<>();
            for (OutcallCodec.Content c : contents) {
                if (c != null && !c.isReject()) {
                    c.response().headers().forEach(h -> names.add(h.name().toLowerCase(java.util.Locale.ROOT)));
                }
            }
            for (String name : names) {
                add(out, "header " + name, contents, c -> c.isReject() ? ABSENT : header(c.response(), name));
            }
            bodies(out, contents);
        }
        return out.size() > MAX_FIELDS ? List.copyOf(out.subList(0, MAX_FIELDS)) : out;
    }

    private interface Field {
        String of(OutcallCodec.Content c);
    }

    private static void add(List<FieldDifference> out, String field, List<OutcallCodec.Content> contents, Field f) {
        List<String> values = new ArrayList<>();
        Set<String> distinct = new LinkedHashSet<>();
        for (OutcallCodec.Content c : contents) {
            String v = c == null ? NOT_HELD : f.of(c);
            values.add(abbreviate(v));
            if (c != null) {
                distinct.add(v);
            }
        }
        if (distinct.size() > 1) {
            out.add(new FieldDifference(field, values));
        }
    }

    private static String header(HttpResponse r, String lowerName) {
        List<String> values = new ArrayList<>();
        for (HttpHeader h : r.headers()) {
            if (h.name().equalsIgnoreCase(lowerName)) {
                values.add(h.value());
            }
        }
        return values.isEmpty() ? ABSENT : String.join(", ", values);
    }

    private static void bodies(List<FieldDifference> out, List<OutcallCodec.Content> contents) {
        List<JsonNode> trees = new ArrayList<>();
        boolean allJson = true;
        for (OutcallCodec.Content c : contents) {
            if (c == null || c.isReject()) {
                trees.add(null);
                continue;
            }
            JsonNode tree = json(c.response().body());
            allJson &= tree != null;
            trees.add(tree);
        }
        if (!allJson) {
            add(out, "body", contents, c -> c.isReject() ? ABSENT : text(c.response().body()));
            return;
        }
        List<Map<String, String>> leaves = new ArrayList<>();
        Set<String> pointers = new TreeSet<>();
        for (JsonNode t : trees) {
            Map<String, String> l = new TreeMap<>();
            if (t != null) {
                leaves(t, "", l);
            }
            leaves.add(l);
            pointers.addAll(l.keySet());
        }
        for (String pointer : pointers) {
            List<String> values = new ArrayList<>();
            Set<String> distinct = new LinkedHashSet<>();
            for (int i = 0; i < contents.size(); i++) {
                OutcallCodec.Content c = contents.get(i);
                String v = c == null ? NOT_HELD : c.isReject() ? ABSENT : leaves.get(i).getOrDefault(pointer, ABSENT);
                values.add(abbreviate(v));
                if (c != null) {
                    distinct.add(v);
                }
            }
            if (distinct.size() > 1) {
                out.add(new FieldDifference("body " + (pointer.isEmpty() ? "/" : pointer), values));
                if (out.size() > MAX_FIELDS) {
                    return;
                }
            }
        }
    }

    /** Every scalar (and every empty container) by its JSON pointer (RFC 6901). */
    private static void leaves(JsonNode node, String pointer, Map<String, String> out) {
        if (node.isObject() && node.size() > 0) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                leaves(e.getValue(), pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), out);
            }
        } else if (node.isArray() && node.size() > 0) {
            for (int i = 0; i < node.size(); i++) {
                leaves(node.get(i), pointer + "/" + i, out);
            }
        } else {
            out.put(pointer, node.toString());
        }
    }

    private static JsonNode json(byte[] body) {
        if (body.length == 0 || body.length > MAX_JSON_BYTES) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n == null || n.isMissingNode() ? null : n;
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return body.length + " bytes: " + s;
    }

    static String abbreviate(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= MAX_VALUE_CHARS ? oneLine : oneLine.substring(0, MAX_VALUE_CHARS - 1) + "…";
    }

    /** A short description of a content for the dashboard. */
    public static String summary(OutcallCodec.Content c) {
        if (c == null) {
            return "";
        }
        if (c.isReject()) {
            Reject r = c.reject();
            return abbreviate("reject " + r.kind().wireName() + ": " + r.message());
        }
        return c.response().status() + ", " + c.response().bodySize() + " bytes";
    }
}
