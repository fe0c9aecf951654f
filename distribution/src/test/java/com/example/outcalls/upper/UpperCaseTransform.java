package com.example.outcalls.upper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;

/**
 * The "Writing a plugin" example of the README, as it is printed there: transform {@code upper-case}
 * drops every header and upper-cases the body (UTF-8 text). {@code PluginExampleIT} builds it into a
 * bundle against {@code org.outcalls.api} only and drops it into a running subnet.
 */
@Component(service = Transform.class, property = Transform.NAME_PROPERTY + "=" + UpperCaseTransform.NAME)
public final class UpperCaseTransform implements Transform {
    public static final String NAME = "upper-case";
    private final String version;

    @Activate
    public UpperCaseTransform(BundleContext context) {
        Version v = context.getBundle().getVersion();
        this.version = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
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
    public HttpResponse apply(HttpResponse response, byte[] context) throws TransformException {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (body.indexOf('\uFFFD') >= 0) {
            throw new TransformException("upper-case: the body is not UTF-8 text");
        }
        byte[] upper = body.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        return HttpResponse.of(response.status(), List.of(), upper);
    }
}
