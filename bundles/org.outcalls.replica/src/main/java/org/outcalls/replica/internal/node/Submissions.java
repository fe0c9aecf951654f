package org.outcalls.replica.internal.node;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.outcalls.replica.IngressAdmission;
import org.outcalls.replica.internal.ingress.Ingress;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.SubnetBusyException;

/**
 * How a process's front replica takes a call from its gateway, for the embedded subnet and a
 * hosted replica alike: the ingress gate first (a busy refusal costs no signature), then the
 * signature, the pool and a wake-up of the block maker.
 */
public final class Submissions {
    private Submissions() {
    }

    /**
     * @param caller who the call counts against in the gate
     * @param sign   makes the signed message (its IllegalArgumentException names a limit it breaks)
     * @return the message id, or a failure: {@link SubnetBusyException} for busy, IllegalArgumentException for refused
     */
    public static CompletionStage<String> signAndSubmit(Ingress ingress, Runnable wakeMaker, String caller,
                                                        Supplier<IngressMessage> sign) {
        Optional<IngressAdmission> busy = ingress.busy(caller);
        if (busy.isPresent()) {
            return CompletableFuture.failedFuture(SubnetBusyException.of(busy.get()));
        }
        IngressMessage m;
        try {
            m = sign.get();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return outcome(ingress.submit(m, caller), wakeMaker);
    }

    /** The message id of an admitted (or already pooled) message, or the refusal as a failure. */
    public static CompletionStage<String> outcome(IngressAdmission a, Runnable wakeMaker) {
        if (a.busy()) {
            return CompletableFuture.failedFuture(SubnetBusyException.of(a));
        }
        if (a.state() == IngressAdmission.State.REJECTED) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(a.message()));
        }
        wakeMaker.run();
        return CompletableFuture.completedFuture(a.messageId());
    }
}
