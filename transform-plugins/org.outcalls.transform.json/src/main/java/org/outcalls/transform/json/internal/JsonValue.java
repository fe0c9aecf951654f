package org.outcalls.transform.json.internal;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

/**
 * A parsed JSON value. Containers on the way to a selected value may be partial (only the members
 * some pointer names are kept); values a pointer selects are always complete.
 */
sealed interface JsonValue {

    /** How a message names the kind of value: "an object", "a string", "true", ... */
    String describe();

    /**
     * @param members  by name, in {@link String#compareTo} order (UTF-16 code units)
     * @param complete whether every member was kept
     */
    record JObject(SortedMap<String, JsonValue> members, boolean complete) implements JsonValue {
        public JObject {
            members = Collections.unmodifiableSortedMap(members);
        }

        @Override
        public String describe() {
            return "an object";
        }
    }

    /**
     * @param elements every element in order; {@code null} stands for an element that was skipped
     *                 (only in a partial array)
     * @param complete whether every element was kept
     */
    record JArray(List<JsonValue> elements, boolean complete) implements JsonValue {
        public JArray {
            elements = Collections.unmodifiableList(elements);
        }

        @Override
        public String describe() {
            return "an array";
        }
    }

    /** A string as decoded; it may hold unpaired surrogates (from backslash-u escapes of a lone surrogate). */
    record JString(String value) implements JsonValue {
        @Override
        public String describe() {
            return "a string";
        }
    }

    record JNumber(BigDecimal value) implements JsonValue {
        @Override
        public String describe() {
            return "a number";
        }
    }

    enum Literal implements JsonValue {
        TRUE("true"), FALSE("false"), NULL("null");

        private final String text;

        Literal(String text) {
            this.text = text;
        }

        String text() {
            return text;
        }

        @Override
        public String describe() {
            return text;
        }
    }
}
