/**
 * Gossip between the replicas of a subnet: a {@link org.outcalls.transport.Transport} per replica
 * with named {@link org.outcalls.transport.Channel}s of byte frames, plus the
 * {@link org.outcalls.transport.Clock} and {@link org.outcalls.transport.Scheduler} that protocol
 * code runs on, so the same code runs under virtual time ({@link org.outcalls.transport.SimulatedNetwork})
 * and real time ({@link org.outcalls.transport.LiveNetwork}). The implementations are internal:
 * {@link org.outcalls.transport.Transports} creates them.
 */
@Version("2.0.0")
package org.outcalls.transport;

import org.osgi.annotation.versioning.Version;
