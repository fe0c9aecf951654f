package org.outcalls.transform.basic.internal;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;
import org.outcalls.api.transform.TransformName;

/**
 * {@code strip-headers}: drops response headers. A context that names no header drops them all;
 * otherwise it drops the named ones (one per line, case-insensitive). Status, body and the order of
 * the remaining headers are unchanged.
 */
@Component(service = Transform.class)
@TransformName(StripHeadersTransform.NAME)
public final class StripHeadersTransform implements Transform {
    public static final String NAME = "strip-headers";

    @Override
    public HttpResponse apply(HttpResponse response, byte[] context) throws TransformException {
        Set<String> drop = HeaderNames.parse(NAME, context);
        if (drop.isEmpty()) {
            return response.withHeaders(List.of());
        }
        List<HttpHeader> kept = response.headers().stream()
                .filter(h -> !HeaderNames.contains(drop, h))
                .collect(Collectors.toList());
        return response.withHeaders(kept);
    }
}
