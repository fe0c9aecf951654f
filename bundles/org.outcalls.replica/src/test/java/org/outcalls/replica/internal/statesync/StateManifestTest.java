package org.outcalls.replica.internal.statesync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.DecodeException;

/** A chunk is accepted only if it is exactly the chunk the (signed) manifest lists. */
class StateManifestTest {
    static byte[] state(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void chunksOfTheCheckpointMatchAndNothingElseDoes() throws DecodeException {
        byte[] state = state(3 * StateManifest.CHUNK_BYTES + 100);
        StateManifest m = StateManifest.of(40, state);
        assertEquals(4, m.count());
        assertEquals(100, m.chunkLength(3));
        for (int i = 0; i < m.count(); i++) {
            assertTrue(m.matches(i, StateManifest.slice(state, i, m.chunkBytes())));
        }
        byte[] flipped = StateManifest.slice(state, 1, m.chunkBytes());
        flipped[7] ^= 1;
        assertFalse(m.matches(1, flipped), "a flipped bit");
        assertFalse(m.matches(2, StateManifest.slice(state, 1, m.chunkBytes())), "another chunk's bytes");
        assertFalse(m.matches(3, StateManifest.slice(state, 2, m.chunkBytes())), "a chunk of the wrong length");
        assertFalse(m.matches(4, new byte[0]), "an index past the end");
        StateManifest back = StateManifest.decode(m.encode());
        assertEquals(m, back);
        assertEquals(m.hash(), back.hash());
        byte[] other = state.clone();
        other[other.length - 1] ^= 1;
        assertNotEquals(m.hash(), StateManifest.of(40, other).hash(), "the manifest hash commits to every chunk");
    }

    @Test
    void anEmptyCheckpointIsOneEmptyChunkAndBadManifestsDoNotDecode() {
        StateManifest m = StateManifest.of(1, new byte[0]);
        assertEquals(1, m.count());
        assertTrue(m.matches(0, new byte[0]));
        byte[] enc = m.encode();
        enc[16] ^= 1; // the chunk size: far past its bound
        assertThrows(DecodeException.class, () -> StateManifest.decode(enc));
        assertArrayEquals(new byte[0], StateManifest.slice(new byte[0], 0, 10));
    }
}
