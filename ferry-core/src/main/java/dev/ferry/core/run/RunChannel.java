package dev.ferry.core.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The events of one live run, in memory, for watchers: they wait here for the next events instead of
 * polling the catalog. Events arrive here after the catalog has them, so a watcher that finds no
 * channel (the run ended) reads the catalog and misses nothing. A lock and condition rather than
 * monitors: watchers are virtual threads, which a monitor wait would pin on Java 21.
 */
final class RunChannel {
    private final List<LoggedEvent> events = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean closed;

    void publish(LoggedEvent event) {
        lock.lock();
        try {
            events.add(event);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Events with {@code seq > after}, waiting up to {@code timeoutMillis} for one; an empty list means
     * none came in time, or the run ended ({@link #closed()} then says so).
     */
    List<LoggedEvent> after(long after, long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!closed && lastSeq() <= after) {
                if (left <= 0) {
                    return List.of();
                }
                left = changed.awaitNanos(left);
            }
            // seq n sits at index n - 1: every event of the run passes through its channel from the first
            int from = (int) Math.min(Math.max(after, 0), events.size());
            return List.copyOf(events.subList(from, events.size()));
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private long lastSeq() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
    }
}
