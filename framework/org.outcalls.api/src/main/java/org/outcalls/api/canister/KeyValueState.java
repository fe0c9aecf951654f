package org.outcalls.api.canister;

import java.util.Optional;
import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ProviderType;

/** A canister's state: a map from UTF-8 keys to bytes, sorted by key, so it hashes and persists deterministically. */
@ProviderType
public interface KeyValueState {

    Optional<byte[]> get(String key);

    /**
     * Visits up to {@code limit} entries whose key starts with {@code prefix}, in ascending key
     * order, starting after {@code afterKey} (null: from the first).
     */
    void scan(String prefix, String afterKey, int limit, BiConsumer<String, byte[]> visitor);

    /** Number of entries. */
    long size();
}
