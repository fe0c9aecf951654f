package org.outcalls.consensus.outcall;

import java.util.Optional;
import org.outcalls.api.policy.AgreementPolicy;

/** The agreement policies installed on this replica, looked up by exact name and version. */
@FunctionalInterface
public interface PolicyLookup {
    Optional<AgreementPolicy> find(String name, String version);
}
