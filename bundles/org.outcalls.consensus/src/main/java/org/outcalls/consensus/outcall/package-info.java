/**
 * The outcall payload of a block (DESIGN.md "The way of one outcall", steps 3–6): the canonical
 * content and share encodings replicas sign, the items a block maker builds from shares under the
 * request's agreement policy, their deterministic validation, what a finalized item delivers, and
 * offline certificate verification.
 */
@Version("1.3.0")
package org.outcalls.consensus.outcall;

import org.osgi.annotation.versioning.Version;
