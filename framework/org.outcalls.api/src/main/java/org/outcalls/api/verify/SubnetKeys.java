package org.outcalls.api.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * A subnet's id and its replicas' Ed25519 public keys in index order: what a certificate is
 * checked against. Take them from a source you trust (a saved {@code GET /api/v1/subnet} of a
 * subnet you know, the operator), not from the party that hands you the result.
 *
 * @param subnetId   64 lower-case hex digits
 * @param publicKeys raw 32-byte keys; replica i's at index i
 */
public record SubnetKeys(String subnetId, List<byte[]> publicKeys) {
    public SubnetKeys {
        Hex.requireHash(subnetId, "subnet_id");
        List<byte[]> copy = new ArrayList<>();
        for (byte[] k : publicKeys) {
            if (k.length != Ed25519.KEY_LENGTH) {
                throw new IllegalArgumentException("public key: must be " + Ed25519.KEY_LENGTH + " bytes");
            }
            copy.add(k.clone());
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("replicas: a subnet has at least one replica");
        }
        publicKeys = List.copyOf(copy);
    }

    @Override
    public List<byte[]> publicKeys() {
        return publicKeys.stream().map(byte[]::clone).toList();
    }

    /** The number of replicas, n. */
    public int size() {
        return publicKeys.size();
    }

    /** How many may be faulty: f = ⌊(n − 1)/3⌋. */
    public int faulty() {
        return (size() - 1) / 3;
    }

    byte[] key(int index) {
        return publicKeys.get(index);
    }

    /**
     * Reads {@code subnet_id} and {@code replicas[].public_key} (hex) of a subnet document; a
     * replica's {@code index}, where given, must be its position.
     */
    public static SubnetKeys parse(String json) throws DocumentException {
        JsonObject root = JsonObject.root(json, "subnet document");
        String subnetId = root.hash("subnet_id");
        List<byte[]> keys = new ArrayList<>();
        List<JsonObject> replicas = root.objects("replicas");
        if (replicas.isEmpty()) {
            throw new DocumentException("replicas", "must list at least one replica");
        }
        for (int i = 0; i < replicas.size(); i++) {
            JsonObject r = replicas.get(i);
            if (r.has("index") && r.whole("index") != i) {
                throw new DocumentException(r.path("index"), "is " + r.whole("index") + ", but the replica is listed at "
                        + i + ": replicas must be listed in index order");
            }
            keys.add(Hex.hash(r.text("public_key"), r.path("public_key")));
        }
        return new SubnetKeys(subnetId, keys);
    }
}
