/**
 * Node identity and signatures for Outcalls: Ed25519 node keys (Bouncy Castle's lightweight API,
 * no global JCA provider), SHA-256 hashes, the canonical binary encoding that everything signed
 * uses ({@link org.outcalls.crypto.CanonicalWriter}, {@link org.outcalls.crypto.CanonicalReader}),
 * domain separation ({@link org.outcalls.crypto.Domain}), batch signatures over Merkle trees
 * ({@link org.outcalls.crypto.BatchSigner}, {@link org.outcalls.crypto.BatchVerifier}) and node TLS
 * certificates derived from node keys ({@link org.outcalls.crypto.NodeCertificates}).
 */
@Version("1.3.0")
package org.outcalls.crypto;

import org.osgi.annotation.versioning.Version;
