package org.outcalls.gateway.apikeys;

import java.util.Objects;

/**
 * One API key as the gateway keeps it: a name, the principal its calls are signed as, the SHA-256
 * of the secret (never the secret), when it was made and, once revoked, when.
 *
 * @param revoked ISO-8601 instant, or null while the key is valid
 */
public record ApiKey(String name, String principal, String sha256, String created, String revoked) {
    public ApiKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(created, "created");
    }

    public boolean isRevoked() {
        return revoked != null;
    }
}
