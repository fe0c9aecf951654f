package org.outcalls.transport.internal.tcp;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/**
 * Splits a connection's byte stream into length-prefixed records, refusing a length over the cap
 * before reading (or allocating) the body.
 */
public final class RecordReader implements Handler<Buffer> {
    /** What to do with records and with a stream that breaks the framing. */
    public interface Sink {
        void record(Buffer record);

        void malformed(String why);
    }

    private final RecordParser parser;
    private boolean expectingLength = true;
    private boolean broken;

    public RecordReader(int maxRecordBytes, Sink sink) {
        this.parser = RecordParser.newFixed(4);
        parser.handler(buf -> {
            if (broken) {
                return;
            }
            if (expectingLength) {
                long len = buf.getUnsignedInt(0);
                if (len < 1 || len > maxRecordBytes) {
                    broken = true;
                    sink.malformed("record length " + len + " is outside 1.." + maxRecordBytes);
                    return;
                }
                expectingLength = false;
                parser.fixedSizeMode((int) len);
            } else {
                expectingLength = true;
                parser.fixedSizeMode(4);
                sink.record(buf);
            }
        });
    }

    @Override
    public void handle(Buffer chunk) {
        if (!broken) {
            parser.handle(chunk);
        }
    }
}
