/**
 * A subnet whose replicas run on different hosts: the replica configuration file ({@link
 * org.outcalls.replica.multihost.ReplicaConfig}) and how {@code outcalls subnet init} writes one per
 * replica ({@link org.outcalls.replica.multihost.SubnetInit}).
 */
@Version("1.1.0")
package org.outcalls.replica.multihost;

import org.osgi.annotation.versioning.Version;
