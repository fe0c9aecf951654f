package org.outcalls.api.canister;

import org.osgi.annotation.versioning.ProviderType;

/** A canister's state during an update or a callback. */
@ProviderType
public interface MutableKeyValueState extends KeyValueState {

    /** Longest key, in UTF-8 bytes. */
    int MAX_KEY_BYTES = 1024;

    /** Largest value. */
    int MAX_VALUE_BYTES = 4 * 1024 * 1024;

    /**
     * @throws IllegalArgumentException if the key or value exceeds its bound
     * @throws IllegalStateException    if the call exceeds {@link MessageLimits#MAX_WRITTEN_BYTES} or
     *                                  {@link MessageLimits#MAX_KEY_WRITES}: the call traps
     */
    void put(String key, byte[] value);

    /**
     * @throws IllegalStateException if the call exceeds {@link MessageLimits#MAX_WRITTEN_BYTES} or
     *                               {@link MessageLimits#MAX_KEY_WRITES}: the call traps
     */
    void delete(String key);
}
