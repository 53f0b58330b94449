package dev.ferry.core.transfer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct buffers of the transfer threads (an upload's batch of small files, a download's blob on its
 * way to a file): one per thread, given back when the thread ends and reused by the next transfer.
 * The native memory of a direct buffer is freed only once the buffer object is collected, and in a
 * long-lived server a dead one can sit in the old generation until a full GC: a new buffer for every
 * upload and download (2.5 MiB and 8 MiB a thread) would let the server's memory grow with each
 * transfer until then. At most {@link #KEEP} spare buffers are kept.
 */
final class DirectBuffers {
    static final int KEEP = 8;
    private static final List<ByteBuffer> SPARE = new ArrayList<>();
    private static final ThreadLocal<ByteBuffer> MINE = new ThreadLocal<>();
    private static final AtomicLong ALLOCATED = new AtomicLong();

    private DirectBuffers() {}

    /**
     * This thread's buffer, cleared, with room for at least {@code room} bytes; one made new has
     * {@code size} bytes if that is more. The thread must not use it after {@link #release}.
     */
    static ByteBuffer mine(int room, int size) {
        ByteBuffer buffer = MINE.get();
        if (buffer == null || buffer.capacity() < room) {
            if (buffer != null) {
                giveBack(buffer);
            }
            buffer = takeSpare(room);
            if (buffer == null) {
                buffer = ByteBuffer.allocateDirect(Math.max(room, size));
                ALLOCATED.incrementAndGet();
            }
            MINE.set(buffer);
        }
        return buffer.clear();
    }

    /** Gives this thread's buffer back for other transfers; for threads that are not {@link #threads}'. */
    static void release() {
        ByteBuffer buffer = MINE.get();
        if (buffer != null) {
            MINE.remove();
            giveBack(buffer);
        }
    }

    /** Threads for a transfer pool, each of which gives its buffer back when it ends. */
    static Threads threads(String prefix) {
        return new Threads(Uploader.named(prefix));
    }

    /**
     * A pool's thread factory whose threads give their buffers back as they end. A pool's termination
     * is signalled from inside its last worker, before that thread's own last step (the give-back) has
     * run: {@link #awaitGivenBack} waits for that step too, so that the next transfer finds the spares.
     */
    static final class Threads implements ThreadFactory {
        private final ThreadFactory named;
        private final List<Thread> made = new ArrayList<>();

        private Threads(ThreadFactory named) {
            this.named = named;
        }

        @Override
        public synchronized Thread newThread(Runnable work) {
            Thread t = named.newThread(() -> {
                try {
                    work.run();
                } finally {
                    release();
                }
            });
            made.add(t);
            return t;
        }

        /** After the pool terminated: waits (a few seconds at most) for every thread it made to end. */
        void awaitGivenBack() {
            List<Thread> threads;
            synchronized (this) {
                threads = new ArrayList<>(made);
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            try {
                for (Thread t : threads) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    t.join(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many buffers were allocated since this class was loaded (for tests). */
    static long allocated() {
        return ALLOCATED.get();
    }

    /** Spare buffers kept now (for tests). */
    static synchronized int spares() {
        return SPARE.size();
    }

    /** Forgets the spare buffers (for tests that need to know which buffer comes back). */
    static synchronized void dropSpares() {
        SPARE.clear();
    }

    /**
     * The smallest spare with room enough: an upload's small need must not take the large buffer a
     * download's writer will want next, or the writer allocates another.
     */
    private static synchronized ByteBuffer takeSpare(int room) {
        int best = -1;
        for (int i = 0; i < SPARE.size(); i++) {
            int capacity = SPARE.get(i).capacity();
            if (capacity >= room && (best < 0 || capacity < SPARE.get(best).capacity())) {
                best = i;
            }
        }
        return best < 0 ? null : SPARE.remove(best);
    }

    /**
     * A buffer comes back only from the thread that held it, once: {@link #mine} and {@link #release}
     * forget it. With {@link #KEEP} spares already, the smallest of them all is the one let go.
     */
    private static synchronized void giveBack(ByteBuffer buffer) {
        if (SPARE.size() < KEEP) {
            SPARE.add(buffer);
            return;
        }
        int smallest = 0;
        for (int i = 1; i < SPARE.size(); i++) {
            if (SPARE.get(i).capacity() < SPARE.get(smallest).capacity()) {
                smallest = i;
            }
        }
        if (SPARE.get(smallest).capacity() < buffer.capacity()) {
            SPARE.set(smallest, buffer);
        }
    }
}
