package org.outcalls.testkit;

import org.outcalls.methods.internal.Methods;
import org.outcalls.quorum.median.internal.MedianPolicy;
import org.outcalls.quorum.single.internal.SingleReplicaPolicy;
import org.outcalls.quorum.twothirds.internal.TwoThirdsPolicy;
import org.outcalls.transform.basic.internal.IdentityTransform;
import org.outcalls.transform.basic.internal.KeepHeadersTransform;
import org.outcalls.transform.basic.internal.StripHeadersTransform;
import org.outcalls.transform.json.internal.JsonTransform;
import org.outcalls.transform.json.internal.NumberTransform;
import org.outcalls.transform.regex.internal.RegexTransform;

/** The distribution's plugins, installed and enabled the way {@code outcalls run} does. */
final class BundledPlugins {
    static final String VERSION = "0.1.0";

    private BundledPlugins() {
    }

    static TestSubnet.Builder all(TestSubnet.Builder b) {
        return b.plugin(new IdentityTransform(), VERSION).plugin(new StripHeadersTransform(), VERSION)
                .plugin(new KeepHeadersTransform(), VERSION).plugin(new JsonTransform(), VERSION)
                .plugin(new NumberTransform(), VERSION).plugin(new RegexTransform(), VERSION)
                .plugin(new TwoThirdsPolicy(), VERSION).plugin(new SingleReplicaPolicy(), VERSION)
                .plugin(new MedianPolicy(), VERSION).plugin(new Methods(), VERSION)
                .enableInstalled();
    }
}
