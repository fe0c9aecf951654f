package org.outcalls.launcher.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Consumer;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.IngressMessage;

/**
 * Calls signed here with the caller's own key and relayed by the gateway as they are
 * ({@code POST /api/v1/ingress}): the gateway never holds the key, and the subnet knows the caller
 * by its principal.
 */
final class SignedCalls {
    /** How long a signed message stays valid: within the replicas' limit of 5 minutes ahead. */
    static final Duration EXPIRY = Duration.ofMinutes(4);
    private static final SecureRandom NONCES = new SecureRandom();

    private SignedCalls() {
    }

    /** The gateway refused the signed bytes (HTTP status and its message). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Signs a call for {@code subnet} and relays it; the message id, which is also the key of the
     * proxy's record ({@code GET /api/v1/outcalls/{id}}).
     *
     * @throws IllegalArgumentException if the call breaks a limit of ingress messages (named)
     */
    static String relay(GatewayClient client, Hash subnet, NodeKey key, String canister, String method, byte[] argument)
            throws Refused, GatewayClient.Unreachable, InterruptedException {
        return relay(client, subnet, key, canister, method, argument, Duration.ZERO);
    }

    /**
     * Like {@link #relay(GatewayClient, Hash, NodeKey, String, String, byte[])}, sending the same signed
     * message again while the gateway answers 503 subnet_busy ({@link BusyRetry}), for at most
     * {@code busyBudget} of waiting (and never past the message's expiry less half a minute).
     */
    static String relay(GatewayClient client, Hash subnet, NodeKey key, String canister, String method, byte[] argument,
                        Duration busyBudget) throws Refused, GatewayClient.Unreachable, InterruptedException {
        byte[] signed = IngressMessage.sign(subnet, canister, method, argument, NONCES.nextLong() & Long.MAX_VALUE,
                System.currentTimeMillis() + EXPIRY.toMillis(), key).encode();
        Duration budget = busyBudget.compareTo(EXPIRY.minusSeconds(30)) < 0 ? busyBudget : EXPIRY.minusSeconds(30);
        BusyRetry.Attempt post = () -> client.post("api/v1/ingress", "application/octet-stream", signed);
        GatewayClient.Reply accepted = budget.isZero() ? post.send() : BusyRetry.submit("outcalls call", post, budget);
        if (accepted.status() != 202) {
            throw new Refused(accepted.status(), accepted.errorMessage());
        }
        return accepted.json().path("id").asText();
    }

    /** The identity to sign with; tells on stderr, once, that {@code default} was just made. */
    static Identities.Identity signer(String name) throws java.io.IOException {
        Consumer<Identities.Identity> made = id -> System.err.println("outcalls: created identity '" + id.name()
                + "' (principal " + id.principal() + ") in " + id.file().getParent() + "; calls are signed with it and "
                + "paid from its account in the proxy canister (`outcalls identity list`, `outcalls balance`)");
        return Identities.ofUser().signer(name, made);
    }
}
