/**
 * The methods SPI: what a replica needs locally to send POST, PUT, DELETE and PATCH outcalls.
 * Whether those methods are allowed at all is decided by the subnet registry, not by this plugin's
 * presence.
 */
@Version("1.0.0")
package org.outcalls.api.methods;

import org.osgi.annotation.versioning.Version;
