/**
 * Running replicas inside one JVM: a local subnet of n replicas over the in-JVM network, for
 * {@code outcalls run}, tests, the testkit and the benchmark. The same replica code runs one
 * replica per process in a multi-host subnet.
 */
@Version("2.0.0")
package org.outcalls.replica.local;

import org.osgi.annotation.versioning.Version;
