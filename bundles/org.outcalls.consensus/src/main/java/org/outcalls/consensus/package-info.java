/**
 * Internet Computer Consensus for one subnet: ranked block makers, notarization, finalization, and
 * pluggable payload sections. One {@link org.outcalls.consensus.Consensus} per replica; finalized
 * blocks reach a {@link org.outcalls.consensus.ConsensusListener} in height order. The protocol is
 * described in this bundle's README.
 */
@Version("1.2.0")
package org.outcalls.consensus;

import org.osgi.annotation.versioning.Version;
