/**
 * Checks a saved outcall result on its own, with the JDK alone: the result document (the JSON of
 * {@code GET /api/v1/outcalls/{id}}, docs/result-document.md) against the subnet's public keys
 * (the JSON of {@code GET /api/v1/subnet}). {@link org.outcalls.api.verify.ResultVerifier} decodes
 * the certificate, checks every share's Ed25519 batch signature, recomputes the context digest the
 * shares signed from the request and context the document shows, applies the deciding policy's
 * rule to the result shown, and says what the result rests on ({@link org.outcalls.api.verify.Basis}).
 *
 * <p>The encodings here mirror the replicas' own ({@code org.outcalls.crypto},
 * {@code org.outcalls.consensus.outcall}) byte for byte; tests there cross-check the two.
 */
@Version("1.0.0")
package org.outcalls.api.verify;

import org.osgi.annotation.versioning.Version;
