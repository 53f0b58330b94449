package dev.ferry.core.home;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps gc away from uploads and downloads: they hold the store shared, gc holds it exclusively.
 * Works across processes (an OS file lock) and across threads of one process (a read-write lock;
 * the JVM forbids overlapping file locks within itself, so the OS lock is taken once per process).
 */
public final class StoreLock {
    private static final ConcurrentHashMap<Path, StoreLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
    private int sharedHolders;
    private FileChannel channel;
    private FileLock osLock;

    private StoreLock(Path file) {
        this.file = file;
    }

    public static StoreLock of(Path file) {
        return LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), StoreLock::new);
    }

    /** A held lock; close to release. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public Held shared(Duration wait) {
        acquire(threads.readLock(), wait, "an exclusive operation (gc)");
        try {
            synchronized (this) {
                if (sharedHolders == 0) {
                    osLock = lockFile(true, wait);
                }
                sharedHolders++;
            }
        } catch (RuntimeException e) {
            threads.readLock().unlock();
            throw e;
        }
        return () -> {
            synchronized (this) {
                if (--sharedHolders == 0) {
                    release();
                }
            }
            threads.readLock().unlock();
        };
    }

    public Held exclusive(Duration wait) {
        acquire(threads.writeLock(), wait, "an upload or download");
        try {
            synchronized (this) {
                osLock = lockFile(false, wait);
            }
        } catch (RuntimeException e) {
            threads.writeLock().unlock();
            throw e;
        }
        return () -> {
            synchronized (this) {
                release();
            }
            threads.writeLock().unlock();
        };
    }

    private static void acquire(java.util.concurrent.locks.Lock lock, Duration wait, String holder) {
        try {
            if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy(holder);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while waiting for the store lock");
        }
    }

    private FileLock lockFile(boolean shared, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            while (true) {
                FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
                if (lock != null) {
                    return lock;
                }
                if (System.nanoTime() > deadline) {
                    channel.close();
                    throw busy(shared ? "an exclusive operation (gc) in another process"
                            : "an upload or download in another process");
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot lock the store (" + file + "): "
                    + e.getMessage(), "check that FERRY_HOME is writable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while waiting for the store lock");
        }
    }

    private void release() {
        try {
            if (osLock != null) osLock.release();
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        }
        osLock = null;
        channel = null;
    }

    private static FerryException busy(String holder) {
        return new FerryException(ErrorCode.CONFLICT, "the store is busy with " + holder,
                "retry when it has finished");
    }
}
