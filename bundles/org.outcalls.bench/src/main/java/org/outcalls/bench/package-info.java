/**
 * {@code outcalls bench}: what agreement costs, measured against a direct HTTPS fetch in one run.
 * {@link org.outcalls.bench.Bench#run} is the entry point the launcher calls on a plain class path.
 */
@Version("1.0.0")
package org.outcalls.bench;

import org.osgi.annotation.versioning.Version;
