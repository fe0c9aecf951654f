package org.outcalls.api.policy;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The name an agreement policy is registered under, the one requests use in {@code policy} and the
 * subnet registry enables:
 *
 * <pre>{@code @Component(service = AgreementPolicy.class)
 * @PolicyName("two-thirds")
 * public final class TwoThirdsPolicy implements AgreementPolicy { ... }}</pre>
 *
 * A component property type: Declarative Services turns it into the service property
 * {@value AgreementPolicy#NAME_PROPERTY}. The host reads the name from that property and the
 * version from the bundle that registered the service. Retained at run time so that the testkit,
 * which runs plugins without OSGi, reads the name from the class.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PolicyName {
    /** With the name derived from this type's name ({@code policy.name}): {@value AgreementPolicy#NAME_PROPERTY}. */
    String PREFIX_ = "outcalls.";

    /** The policy's name, for example {@code two-thirds}. */
    String value();
}
