package org.outcalls.replica;

import java.util.List;
import java.util.Objects;

/**
 * A membership change that took effect: at which height (the first the new members ran), with which
 * registry version (the first that lists them), what it did (for people: {@code GET /api/v1/subnet}
 * shows it), and the members before it — so that a replica can say who ran an older height, or
 * answers a request context opened at an older registry version, from replicated state alone.
 */
public record AppliedMembership(long height, long registryVersion, String summary, List<Member> previous) {
    public AppliedMembership {
        Objects.requireNonNull(summary, "summary");
        previous = List.copyOf(previous);
        if (previous.isEmpty()) {
            throw new IllegalArgumentException("previous: a subnet always had members");
        }
    }
}
