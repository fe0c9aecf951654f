/**
 * API keys of a gateway: the files in its data folder that {@code outcalls admin api-key} writes and
 * the gateway reads. A key is a random secret given once to its holder; the gateway keeps only its
 * SHA-256 and the custodial Ed25519 key it signs that holder's calls with.
 */
@Version("1.0.0")
package org.outcalls.gateway.apikeys;

import org.osgi.annotation.versioning.Version;
