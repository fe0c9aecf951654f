package org.outcalls.transform.basic.internal;

import org.osgi.service.component.annotations.Component;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformName;

/** {@code identity}: the response as fetched; the context is ignored. */
@Component(service = Transform.class)
@TransformName(IdentityTransform.NAME)
public final class IdentityTransform implements Transform {
    public static final String NAME = "identity";

    @Override
    public HttpResponse apply(HttpResponse response, byte[] context) {
        return response;
    }
}
