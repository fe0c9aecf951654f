package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.Block;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;

/** Whatever bytes a peer sends, decoding either succeeds or throws DecodeException: nothing else. */
class WireFuzzTest {

    static List<byte[]> validFrames() {
        TreeMap<String, byte[]> payload = new TreeMap<>();
        payload.put("ingress", new byte[] {1, 2, 3});
        payload.put("outcalls", new byte[40]);
        Block b = new Block(7, Hash.sha256(new byte[] {1}), 2, 3, 1234, payload);
        TreeMap<Integer, byte[]> sigs = new TreeMap<>();
        sigs.put(0, new byte[64]);
        sigs.put(2, new byte[64]);
        sigs.put(3, new byte[64]);
        List<byte[]> out = new ArrayList<>();
        out.add(Wire.proposal(b, b.hash(), new byte[64]).frame());
        out.add(Wire.share(Wire.NOTARIZATION_SHARE, 7, b.hash(), 1, new byte[64]).frame());
        out.add(Wire.share(Wire.FINALIZATION_SHARE, 7, b.hash(), 1, new byte[64]).frame());
        out.add(Wire.aggregate(Wire.NOTARIZATION, 7, b.hash(), sigs).frame());
        out.add(Wire.aggregate(Wire.FINALIZATION, 7, b.hash(), sigs).frame());
        out.add(Wire.status(5, 6));
        out.add(Wire.request(7, b.hash()));
        return out;
    }

    @Test
    void validFramesRoundTrip() throws DecodeException {
        for (byte[] f : validFrames()) {
            Wire.Msg m = Wire.decode(f);
            if (m instanceof Wire.Signed s) {
                assertEquals(Hash.sha256(f), s.id());
            }
        }
        Wire.Proposal p = (Wire.Proposal) Wire.decode(validFrames().get(0));
        assertEquals(7, p.height());
        assertEquals(3, p.maker());
    }

    @Test
    void mutatedFramesNeverThrowAnythingButDecodeException() {
        Random rnd = new Random(1);
        List<byte[]> frames = validFrames();
        for (int i = 0; i < 200_000; i++) {
            byte[] f = frames.get(rnd.nextInt(frames.size())).clone();
            switch (rnd.nextInt(4)) {
                case 0 -> f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
                case 1 -> f = java.util.Arrays.copyOf(f, rnd.nextInt(f.length + 8));
                case 2 -> {
                    for (int k = 0; k < 4; k++) {
                        f[rnd.nextInt(f.length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                default -> {
                    int at = rnd.nextInt(f.length);
                    f[at] = (byte) 0xFF; // huge lengths and counts
                    if (at + 1 < f.length) {
                        f[at + 1] = (byte) 0xFF;
                    }
                }
            }
            try {
                Wire.decode(f);
            } catch (DecodeException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("frame " + java.util.HexFormat.of().formatHex(f) + " threw " + e, e);
            }
        }
    }
}
