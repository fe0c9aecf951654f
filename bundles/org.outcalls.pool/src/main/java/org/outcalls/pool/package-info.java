/**
 * A replica's bounded artifact pool: an unvalidated section for what peers sent (per-peer quotas
 * in count and bytes, an admission window by height, duplicate suppression) and a validated
 * section for what passed the owner's checks, both purged below a height.
 */
@Version("1.1.0")
package org.outcalls.pool;

import org.osgi.annotation.versioning.Version;
