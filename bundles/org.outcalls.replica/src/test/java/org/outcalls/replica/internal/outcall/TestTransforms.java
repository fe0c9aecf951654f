package org.outcalls.replica.internal.outcall;

import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;

/** Transforms written in a test: a name and a body. */
final class TestTransforms {
    private TestTransforms() {
    }

    interface Body {
        HttpResponse apply(HttpResponse r) throws Exception;
    }

    static Transform transform(String name, Body body) {
        return new Transform() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String version() {
                return "1.0.0";
            }

            @Override
            public HttpResponse apply(HttpResponse response, byte[] context) throws TransformException {
                try {
                    return body.apply(response);
                } catch (TransformException | RuntimeException e) {
                    throw e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
