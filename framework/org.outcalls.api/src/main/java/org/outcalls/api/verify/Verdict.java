package org.outcalls.api.verify;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of checking a result: genuine, with what it rests on; or not, with the field of the
 * document that does not hold (where one can be named) and why.
 */
public record Verdict(boolean genuine, String explanation, Optional<Basis> basis, Optional<String> field) {
    public Verdict {
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(field, "field");
        if (genuine != basis.isPresent()) {
            throw new IllegalArgumentException("a genuine verdict, and only one, has a basis");
        }
    }

    static Verdict genuine(Basis basis) {
        return new Verdict(true, basis.statement(), Optional.of(basis), Optional.empty());
    }

    /** @param field the document field that does not hold, or null if none can be named */
    static Verdict refuted(String field, String why) {
        return new Verdict(false, field == null ? why : field + ": " + why, Optional.empty(), Optional.ofNullable(field));
    }
}
