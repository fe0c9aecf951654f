package org.outcalls.transform.basic.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformName;

/** {@code identity}: the response as fetched; the context is ignored. */
@Component(service = Transform.class)
@TransformName(IdentityTransform.NAME)
public final class IdentityTransform implements Transform {
    public static final String NAME = "identity";

    private final String version;

    @Activate
    public IdentityTransform(BundleContext context) {
        this(PluginVersion.of(context));
    }

    /** For use without a framework (tests). */
    public IdentityTransform(String version) {
        this.version = PluginVersion.require(version);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public HttpResponse apply(HttpResponse response, byte[] context) {
        return response;
    }
}
