package org.outcalls.replica.internal.outcall;

import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;
import org.outcalls.api.transform.TransformName;

/** Transforms written in a test: a name and a body. */
final class TestTransforms {
    private TestTransforms() {
    }

    interface Body {
        HttpResponse apply(HttpResponse r) throws Exception;
    }

    /** A test's transform with the name the host would have installed it under. */
    record Named(String name, Body body) implements Transform {
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
    }

    static Named transform(String name, Body body) {
        return new Named(name, body);
    }

    /** The name the runner is given for {@code t}: a test transform's own, else its {@code @TransformName}, as the host reads it. */
    static String nameOf(Transform t) {
        return t instanceof Named n ? n.name() : t.getClass().getAnnotation(TransformName.class).value();
    }
}
