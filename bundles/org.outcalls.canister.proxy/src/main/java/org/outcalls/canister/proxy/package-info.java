/**
 * The proxy canister's protocol: the JSON form of an outcall request (the body of
 * {@code POST /api/v1/outcalls}) and of its result (the body of {@code GET /api/v1/outcalls/{id}}),
 * shared by the canister, the gateway and clients so the schema is defined once.
 */
@Version("2.0.0")
package org.outcalls.canister.proxy;

import org.osgi.annotation.versioning.Version;
