package org.outcalls.replica;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;
import org.outcalls.api.canister.Canister;

/**
 * Finds the local implementation of a canister by id (typically the {@code Canister} service with
 * that {@code outcalls.canister.id}). Read once per block; the registry, not this, says which
 * canisters exist.
 */
@ConsumerType
@FunctionalInterface
public interface CanisterResolver {
    Optional<Canister> canister(String canisterId);
}
