/**
 * Real HTTPS origins for tests on loopback: a throwaway certificate authority, a scripted
 * origin whose routes can answer each replica differently, and ports for processes to listen on.
 */
@Version("1.2.0")
package org.outcalls.testkit.origin;

import org.osgi.annotation.versioning.Version;
