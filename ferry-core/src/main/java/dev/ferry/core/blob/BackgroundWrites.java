package dev.ferry.core.blob;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The background work of a {@link BlobWriter} session (sealing packs, sending pack uploads): its
 * futures, awaited together by {@code flush}, and its first failure, which fails every later call of
 * the session. Shared by the local and the remote writer so both fail the same way.
 */
public final class BackgroundWrites {
    private final String what;
    private final List<Future<?>> pending = new ArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    /** @param what the work, for messages ("sealing a pack") */
    public BackgroundWrites(String what) {
        this.what = what;
    }

    public void add(Future<?> task) {
        synchronized (pending) {
            pending.add(task);
        }
    }

    /** Keeps the first failure; returns the one the session fails with. */
    public RuntimeException fail(RuntimeException e) {
        failure.compareAndSet(null, e);
        return failure.get();
    }

    public boolean failed() {
        return failure.get() != null;
    }

    public void throwIfFailed() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** Waits for every task added so far, then throws the session's failure, if any. */
    public void awaitAll() {
        List<Future<?>> waiting;
        synchronized (pending) {
            waiting = new ArrayList<>(pending);
            pending.clear();
        }
        for (Future<?> f : waiting) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while " + what);
            } catch (ExecutionException e) {
                throw fail(new FerryException(ErrorCode.INTERNAL, what + " failed: " + e.getCause(), null, e.getCause()));
            }
        }
        throwIfFailed();
    }
}
