/**
 * The transform SPI: a plugin that turns each replica's raw response into the bytes the replicas
 * agree on (dropping timestamps, selecting fields). Register an implementation as an OSGi service
 * of type {@link org.outcalls.api.transform.Transform} named by {@link org.outcalls.api.transform.TransformName};
 * the host versions it by its bundle.
 */
@Version("1.0.0")
package org.outcalls.api.transform;

import org.osgi.annotation.versioning.Version;
