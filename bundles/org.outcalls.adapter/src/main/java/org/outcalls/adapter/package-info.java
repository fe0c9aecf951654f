/**
 * The HTTPS adapter: the one part of a replica that talks to the outside world. A replica asks
 * {@link org.outcalls.adapter.HttpsAdapter} to fetch one outcall and gets back a
 * {@link org.outcalls.adapter.FetchResult}: the response within the limits, or the reject that says
 * why not.
 */
@Version("1.0.0")
package org.outcalls.adapter;

import org.osgi.annotation.versioning.Version;
