/**
 * The replicated state machine of one replica: the subnet's genesis and registry, signed ingress
 * messages, outcall request contexts and their deliveries, and the {@link org.outcalls.replica.Replica}
 * facade that executes finalized blocks deterministically and reports a state hash per height.
 */
@Version("3.0.0")
package org.outcalls.replica;

import org.osgi.annotation.versioning.Version;
