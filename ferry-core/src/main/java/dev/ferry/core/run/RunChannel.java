package dev.ferry.core.run;

import java.util.ArrayList;
import java.util.List;

/**
 * The events of one live run, in memory, for watchers: they wait here for the next events instead of
 * polling the catalog. Events arrive here after the catalog has them, so a watcher that finds no
 * channel (the run ended) reads the catalog and misses nothing.
 */
final class RunChannel {
    private final List<LoggedEvent> events = new ArrayList<>();
    private boolean closed;

    synchronized void publish(LoggedEvent event) {
        events.add(event);
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * Events with {@code seq > after}, waiting up to {@code timeoutMillis} for one; an empty list means
     * none came in time, or the run ended ({@link #closed()} then says so).
     */
    synchronized List<LoggedEvent> after(long after, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!closed && lastSeq() <= after) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return List.of();
            }
            wait(left);
        }
        // seq n sits at index n - 1: every event of the run passes through its channel from the first
        int from = (int) Math.min(Math.max(after, 0), events.size());
        return List.copyOf(events.subList(from, events.size()));
    }

    synchronized boolean closed() {
        return closed;
    }

    private long lastSeq() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
    }
}
