package org.outcalls.replica.internal.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@code <data>/replica.lock}: held (an OS file lock, released when the process dies, even by
 * {@code kill -9}) by the replica that runs on a data folder, with its process id inside, so
 * {@code outcalls restore} can refuse a running replica and say which process it is.
 */
public final class DataFolderLock implements AutoCloseable {
    public static final String FILE = "replica.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IOException if another process holds it (naming that process) or the file cannot be written */
    public static DataFolderLock acquire(Path data) throws IOException {
        Files.createDirectories(data);
        Path file = data.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = readHolder(ch);
            ch.close();
            throw new IOException("another replica runs on the data folder " + data + " (" + holder + ")");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new DataFolderLock(ch, lock);
    }

    /**
     * Who holds the data folder's lock, if anyone ("pid 1234"). Call from another process than the
     * replica only: closing a channel releases every lock this JVM holds on that file.
     */
    public static Optional<String> holder(Path data) throws IOException {
        Path file = data.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe;
            try {
                probe = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return Optional.of("this process");
            }
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
            return Optional.of(readHolder(ch));
        }
    }

    private static String readHolder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        ch.read(b, 0);
        String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
        return s.isEmpty() ? "process unknown" : s;
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
