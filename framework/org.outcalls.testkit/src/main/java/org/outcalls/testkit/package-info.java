/**
 * Test support for Outcalls users: certificates for real TLS on loopback, origins, subnets.
 */
@Version("1.1.0")
package org.outcalls.testkit;

import org.osgi.annotation.versioning.Version;
