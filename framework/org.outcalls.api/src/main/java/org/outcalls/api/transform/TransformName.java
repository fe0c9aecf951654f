package org.outcalls.api.transform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The name a transform is registered under, the one requests use in {@code transform.name}:
 *
 * <pre>{@code @Component(service = Transform.class)
 * @TransformName("shout")
 * public final class ShoutTransform implements Transform { ... }}</pre>
 *
 * A component property type: Declarative Services turns it into the service property
 * {@value Transform#NAME_PROPERTY}. The host reads the name from that property and the version
 * from the bundle that registered the service. Retained at run time so that the testkit, which runs
 * plugins without OSGi, reads the name from the class.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TransformName {
    /** With the name derived from this type's name ({@code transform.name}): {@value Transform#NAME_PROPERTY}. */
    String PREFIX_ = "outcalls.";

    /** The transform's name, for example {@code json}. */
    String value();
}
