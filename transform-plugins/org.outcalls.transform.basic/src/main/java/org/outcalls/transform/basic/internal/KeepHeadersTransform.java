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
 * {@code keep-headers}: keeps only the response headers the context names (one per line,
 * case-insensitive; a context that names none keeps none). Status, body and the order of the kept
 * headers are unchanged.
 */
@Component(service = Transform.class)
@TransformName(KeepHeadersTransform.NAME)
public final class KeepHeadersTransform implements Transform {
    public static final String NAME = "keep-headers";

    @Override
    public HttpResponse apply(HttpResponse response, byte[] context) throws TransformException {
        Set<String> keep = HeaderNames.parse(NAME, context);
        List<HttpHeader> kept = response.headers().stream()
                .filter(h -> HeaderNames.contains(keep, h))
                .collect(Collectors.toList());
        return response.withHeaders(kept);
    }
}
