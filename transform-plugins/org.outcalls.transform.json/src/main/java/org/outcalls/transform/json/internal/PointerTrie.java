package org.outcalls.transform.json.internal;

import java.util.Collection;
import java.util.TreeMap;

/**
 * The selected pointers as a tree of reference tokens, so the reader keeps only what some pointer
 * reaches and skips the rest of the body without building it.
 */
final class PointerTrie {
    private final TreeMap<String, PointerTrie> children = new TreeMap<>();
    private boolean selected;

    static PointerTrie of(Collection<JsonPointer> pointers) {
        PointerTrie root = new PointerTrie();
        for (JsonPointer p : pointers) {
            PointerTrie node = root;
            for (String token : p.tokens()) {
                node = node.children.computeIfAbsent(token, t -> new PointerTrie());
            }
            node.selected = true;
        }
        return root;
    }

    /** Whether a pointer ends here: the value here is kept whole. */
    boolean selected() {
        return selected;
    }

    /** The node for a member name or array index (as decimal text), or null if no pointer goes there. */
    PointerTrie child(String token) {
        return children.get(token);
    }
}
