package org.outcalls.transport.internal.tcp;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/**
 * Splits a connection's byte stream into length-prefixed records, refusing a length over the cap
 * before reading (or allocating) the body. Before a body is read its owner is asked whether there
 * is room for it; if not, the reader stops until {@link #resume()}, so a record is only read into
 * memory once it has been counted.
 */
public final class RecordReader implements Handler<Buffer> {
    /** What to do with records and with a stream that breaks the framing. */
    public interface Sink {
        /** A record of {@code length} bytes comes next: true to read it now, false to wait for {@link #resume()}. */
        default boolean admit(int length) {
            return true;
        }

        void record(Buffer record);

        void malformed(String why);
    }

    private final RecordParser parser;
    private boolean expectingLength = true;
    private boolean broken;
    private int waiting = -1;

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
                if (!sink.admit((int) len)) {
                    waiting = (int) len;
                    parser.pause(); // the rest of what was read stays in the parser until resume()
                }
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

    /** The length of the record waiting for room, or -1 if the reader is not waiting. */
    public int waitingLength() {
        return waiting;
    }

    /** Reads on after {@link Sink#admit} said no; the owner has made room for {@link #waitingLength()} bytes. */
    public void resume() {
        if (waiting >= 0) {
            waiting = -1;
            parser.resume();
        }
    }
}
