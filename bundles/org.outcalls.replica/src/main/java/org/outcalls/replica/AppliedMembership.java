package org.outcalls.replica;

/**
 * The last membership change that took effect: at which height, with which registry version, and
 * what it did (for people: {@code GET /api/v1/subnet} shows it).
 */
public record AppliedMembership(long height, long registryVersion, String summary) {
}
