package org.outcalls.api.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Shares that carry the same content: the same content hash, content size and kind (response or
 * reject). What a policy counts when it needs identical answers.
 *
 * <p>{@link #group} orders everything without hash-based collections, so a policy that uses it
 * decides alike on every replica: groups largest first, groups of equal size in {@link #BY_CONTENT}
 * order, and the shares of a group in the order they were given (for a {@link DecisionInput},
 * ascending by signer).
 *
 * @param shares the group's shares, at least one, all with the same content
 */
public record ContentGroup(List<ShareView> shares) {

    /** Two shares agree when hash, size and kind agree; ordered by hash bytes (unsigned), then size, responses first. */
    private static final Comparator<ShareView> SAME_CONTENT = (a, b) -> {
        int c = Arrays.compareUnsigned(a.contentHash(), b.contentHash());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.contentSize(), b.contentSize());
        return c != 0 ? c : Boolean.compare(a.reject(), b.reject());
    };

    /** The order among groups of equal size: content hash bytes (unsigned), then content size, responses before rejects. */
    public static final Comparator<ContentGroup> BY_CONTENT = (a, b) -> SAME_CONTENT.compare(a.first(), b.first());

    /** Largest first; equal sizes {@link #BY_CONTENT}. */
    private static final Comparator<ContentGroup> LARGEST_FIRST =
            Comparator.comparingInt(ContentGroup::size).reversed().thenComparing(BY_CONTENT);

    public ContentGroup {
        shares = List.copyOf(shares);
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("shares: a content group has at least one share");
        }
        for (ShareView s : shares) {
            if (SAME_CONTENT.compare(shares.get(0), s) != 0) {
                throw new IllegalArgumentException("shares: " + s + " does not carry the content of " + shares.get(0));
            }
        }
    }

    /**
     * The shares grouped by content, largest group first, groups of equal size {@link #BY_CONTENT};
     * within a group the shares keep the order given.
     */
    public static List<ContentGroup> group(Collection<ShareView> shares) {
        TreeMap<ShareView, List<ShareView>> byContent = new TreeMap<>(SAME_CONTENT);
        for (ShareView s : shares) {
            byContent.computeIfAbsent(s, k -> new ArrayList<>()).add(s);
        }
        List<ContentGroup> groups = new ArrayList<>();
        byContent.values().forEach(g -> groups.add(new ContentGroup(g)));
        groups.sort(LARGEST_FIRST);
        return List.copyOf(groups);
    }

    /** The first share (for a {@link DecisionInput}, the lowest signer's): its hash, size and kind are the group's. */
    public ShareView first() {
        return shares.get(0);
    }

    public int size() {
        return shares.size();
    }

    /** The content hash every share of the group signed. */
    public byte[] contentHash() {
        return first().contentHash();
    }

    /** Whether the content is a reject rather than a response. */
    public boolean reject() {
        return first().reject();
    }

    /** The signers of the first {@code count} shares (all of them if fewer), in the group's order. */
    public int[] signers(int count) {
        return shares.stream().limit(count).mapToInt(ShareView::signer).toArray();
    }
}
