package org.outcalls.distribution.plugin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformName;

/**
 * The plugin the hot-swap tests build at several versions ({@code TestBundles}): transform
 * {@code hotswap-tag} prefixes the body with its own bundle version, so a result shows which
 * revision produced it. The same class bytes at another Bundle-Version behave differently.
 */
@Component(service = Transform.class)
@TransformName(TagTransform.NAME)
public final class TagTransform implements Transform {
    public static final String NAME = "hotswap-tag";
    private final String version;

    // the tag is the bundle's version, which the host also gives this plugin: read here only to show it
    @Activate
    public TagTransform(BundleContext context) {
        Version v = context.getBundle().getVersion();
        this.version = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
    }

    @Override
    public HttpResponse apply(HttpResponse response, byte[] context) {
        String tagged = "tag " + version + ": " + new String(response.body(), StandardCharsets.UTF_8);
        return HttpResponse.of(response.status(), List.of(), tagged.getBytes(StandardCharsets.UTF_8));
    }
}
