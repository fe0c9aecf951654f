/**
 * The canister SPI: deterministic programs hosted by the subnet. A canister is an OSGi service of
 * type {@link org.outcalls.api.canister.Canister}; the subnet registry says which canister ids
 * run, so every replica executes the same ones. {@link org.outcalls.api.canister.MessageLimits} bounds
 * what one call may do.
 */
@Version("1.2.0")
package org.outcalls.api.canister;

import org.osgi.annotation.versioning.Version;
