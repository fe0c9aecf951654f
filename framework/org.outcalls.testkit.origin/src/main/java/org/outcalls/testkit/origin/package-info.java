/**
 * Real HTTPS origins for tests on loopback: a throwaway certificate authority and a scripted
 * origin whose routes can answer each replica differently.
 */
@Version("1.0.0")
package org.outcalls.testkit.origin;

import org.osgi.annotation.versioning.Version;
