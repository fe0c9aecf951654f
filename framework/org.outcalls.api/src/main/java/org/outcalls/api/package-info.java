/**
 * Outcalls' public value types: the arguments of an HTTPS outcall, its response, its reject,
 * the limits that bound both, the range of agreed decimals, and the fee. Every type here is
 * immutable and validates its values in its factory, so a value that exists is well-formed.
 */
@Version("1.0.0")
package org.outcalls.api;

import org.osgi.annotation.versioning.Version;
