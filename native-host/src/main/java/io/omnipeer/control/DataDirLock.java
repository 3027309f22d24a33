package io.omnipeer.control;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per data dir: an exclusive OS lock on {@code <data-dir>/daemon.lock}, held for the daemon's life
 * and released by the kernel if the process dies, so a leftover socket file can be told apart from a live daemon.
 * The file holds the holder's process ID (decimal, one line) for tools and tests.
 */
public final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IOException "daemon already running" if another process (or this one) holds the lock */
    public static DataDirLock acquire(Path dataDir) throws IOException {
        DataDir.ensure(dataDir);
        FileChannel channel = FileChannel.open(dataDir.resolve(DataDir.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("a daemon is already running for " + dataDir);
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        channel.force(false);
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
