package com.example.shout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;
import org.outcalls.api.transform.TransformName;

/**
 * {@code shout}: the body as upper-case UTF-8 text, every header dropped (headers such as
 * {@code date} differ between replicas). A pure function of its arguments, as every transform must be.
 * Outcalls knows it by its {@code @TransformName} and versions it by this bundle's version.
 */
@Component(service = Transform.class)
@TransformName("shout")
public final class ShoutTransform implements Transform {

    @Override
    public HttpResponse apply(HttpResponse response, byte[] context) throws TransformException {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (body.indexOf('\uFFFD') >= 0) {
            throw new TransformException("shout: the body is not UTF-8 text");
        }
        return HttpResponse.of(response.status(), List.of(), body.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }
}
