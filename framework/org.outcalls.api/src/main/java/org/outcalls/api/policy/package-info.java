/**
 * The agreement-policy SPI: which replicas fetch an outcall, and when their signed shares make
 * a result (or prove that none can). Register an implementation as an OSGi service of type
 * {@link org.outcalls.api.policy.AgreementPolicy} named by {@link org.outcalls.api.policy.PolicyName}; the host
 * versions it by its bundle. {@link org.outcalls.api.policy.ContentGroup} groups shares by content.
 */
@Version("1.0.0")
package org.outcalls.api.policy;

import org.osgi.annotation.versioning.Version;
