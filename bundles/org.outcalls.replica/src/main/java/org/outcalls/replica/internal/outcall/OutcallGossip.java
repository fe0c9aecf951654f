package org.outcalls.replica.internal.outcall;

import java.util.ArrayList;
import java.util.List;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.Hash;

/**
 * The frames of the {@code outcalls} channel for code outside this package that must speak it
 * (the Byzantine replica of tests and fault modes); honest replicas use {@link OutcallFrames}.
 */
public final class OutcallGossip {
    private OutcallGossip() {
    }

    /** Frames carrying the shares, each with its content when given and small enough (null: without). */
    public static List<byte[]> shares(List<SignedShare> shares, List<byte[]> contents) {
        if (contents.size() != shares.size()) {
            throw new IllegalArgumentException(contents.size() + " contents for " + shares.size() + " shares");
        }
        List<OutcallFrames.Carried> carried = new ArrayList<>(shares.size());
        for (int i = 0; i < shares.size(); i++) {
            carried.add(OutcallFrames.Carried.of(shares.get(i), contents.get(i)));
        }
        return OutcallFrames.shares(carried);
    }

    public static byte[] contentRequest(long callbackId, Hash contentHash) {
        return OutcallFrames.contentRequest(callbackId, contentHash);
    }

    public static byte[] content(long callbackId, Hash contentHash, byte[] content) {
        return OutcallFrames.content(callbackId, contentHash, content);
    }
}
