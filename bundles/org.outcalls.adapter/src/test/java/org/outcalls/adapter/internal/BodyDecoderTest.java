package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {
    private final BufferAccounting accounting = new BufferAccounting();

    /** Feeds the bytes in pieces of {@code step}, as a network would. */
    private boolean feed(BodyDecoder d, byte[] data, int step) throws Exception {
        for (int i = 0; i < data.length; i += step) {
            if (!d.write(Arrays.copyOfRange(data, i, Math.min(data.length, i + step)))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void gzipInAnyPieceSizeAndConcatenatedMembers() throws Exception {
        byte[] plain = "abcdefghij".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        byte[] one = ConformanceTest.gzip(plain);
        byte[] two = new byte[one.length * 2];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        for (int step : new int[] {1, 7, 1000, two.length}) {
            BoundedBody body = new BoundedBody(1_000_000, accounting);
            BodyDecoder d = BodyDecoder.forEncoding("gzip", body);
            assertTrue(feed(d, two, step));
            d.finish();
            d.close();
            byte[] expected = new byte[plain.length * 2];
            System.arraycopy(plain, 0, expected, 0, plain.length);
            System.arraycopy(plain, 0, expected, plain.length, plain.length);
            assertArrayEquals(expected, body.toByteArray(), "step " + step);
        }
    }

    @Test
    void rawDeflateIsAcceptedToo() throws Exception {
        byte[] plain = "raw deflate ".repeat(100).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true))) {
            d.write(plain);
        }
        BoundedBody body = new BoundedBody(10_000, accounting);
        BodyDecoder d = BodyDecoder.forEncoding("Deflate", body);
        assertTrue(feed(d, out.toByteArray(), 13));
        d.finish();
        assertArrayEquals(plain, body.toByteArray());
    }

    @Test
    void aBombStopsOneStepPastTheAllowance() throws Exception {
        byte[] bomb = ConformanceTest.gzip(new byte[20_000_000]);
        BoundedBody body = new BoundedBody(100_000, accounting);
        BodyDecoder d = BodyDecoder.forEncoding("gzip", body);
        long before = accounting.current();
        assertFalse(feed(d, bomb, bomb.length), "one write of the whole bomb is cut");
        assertTrue(accounting.current() - before <= 100_000);
        d.close();
    }

    @Test
    void brokenGzipIsReported() throws Exception {
        byte[] good = ConformanceTest.gzip("hello".getBytes(StandardCharsets.US_ASCII));
        BodyDecoder truncated = BodyDecoder.forEncoding("gzip", new BoundedBody(1000, accounting));
        truncated.write(Arrays.copyOf(good, good.length - 3));
        assertThrows(BodyDecoder.MalformedBody.class, truncated::finish);
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 8] ^= 1;
        BodyDecoder crc = BodyDecoder.forEncoding("gzip", new BoundedBody(1000, accounting));
        assertThrows(BodyDecoder.MalformedBody.class, () -> crc.write(badCrc));
        BodyDecoder notGzip = BodyDecoder.forEncoding("gzip", new BoundedBody(1000, accounting));
        assertThrows(BodyDecoder.MalformedBody.class, () -> notGzip.write("plain".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void unknownEncodingsPassThrough() throws Exception {
        BoundedBody body = new BoundedBody(5, accounting);
        BodyDecoder d = BodyDecoder.forEncoding("br", body);
        assertTrue(d.write(new byte[] {1, 2, 3, 4, 5}));
        assertFalse(d.write(new byte[] {6}), "one byte over the allowance");
    }
}
