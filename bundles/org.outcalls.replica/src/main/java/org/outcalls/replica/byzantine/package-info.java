/**
 * Byzantine behaviour, for development and tests only, kept in one place: an {@link
 * org.outcalls.replica.byzantine.Adversary} takes over what one replica sends — the contents it
 * signs, the payloads it proposes, every frame it sends — and can send anything that replica's key
 * can sign. {@link org.outcalls.replica.byzantine.FaultScripts} are the fault modes of {@code
 * outcalls run --fault}. Honest replicas have no adversary and never load this package's hooks.
 */
@Version("2.0.0")
package org.outcalls.replica.byzantine;

import org.osgi.annotation.versioning.Version;
