package dev.ferry.core.ingest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * Preflights a push command ran in this process, offered to the ingestion it then submits: the local
 * server runs the command the CLI hands it and the push's run in the same process, and both would
 * read the whole dataset for the same checks. The run takes a preflight only for the same dataset (folder,
 * records file, sidecar folders, and a config that ingests alike) whose records file still has the stamp
 * it had before it was read; else it checks the dataset itself. At most {@link #KEEP} are kept, for
 * {@link #FRESH} at most (a preflight whose push never came is dropped, its rows closed).
 */
public final class RecentPreflights {
    static final int KEEP = 2;
    static final Duration FRESH = Duration.ofMinutes(10);

    private record Offered(Preflight.Result result, long atNanos) {}

    private static final Deque<Offered> OFFERED = new ArrayDeque<>();

    private RecentPreflights() {}

    /** Offers a passed preflight of a dataset (its rows kept) to the run a push is about to submit. */
    public static synchronized void offer(Preflight.Result result) {
        if (!result.ok() || result.dataset() == null || result.recordsBefore() == null) {
            if (result.dataset() != null) {
                result.dataset().rows().close();
            }
            return;
        }
        dropStale();
        OFFERED.addFirst(new Offered(result, System.nanoTime()));
        while (OFFERED.size() > KEEP) {
            OFFERED.removeLast().result().dataset().rows().close();
        }
    }

    /** The offered preflight of this resolved dataset whose records file is still as it was read, taken once. */
    static synchronized Optional<Preflight.Result> take(ConfigResolver.Resolved resolved) {
        dropStale();
        for (Iterator<Offered> it = OFFERED.iterator(); it.hasNext(); ) {
            Preflight.Result r = it.next().result();
            DatasetLayout a = r.config().layout();
            DatasetLayout b = resolved.layout();
            if (a.root().equals(b.root()) && a.records().equals(b.records()) && a.sidecars().equals(b.sidecars())
                    && r.config().config().ingestsAs(resolved.config())
                    && r.recordsBefore().equals(FileStamp.of(b.root().resolve(b.records())))) {
                it.remove();
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private static void dropStale() {
        long now = System.nanoTime();
        while (!OFFERED.isEmpty() && now - OFFERED.peekLast().atNanos() > FRESH.toNanos()) {
            OFFERED.removeLast().result().dataset().rows().close();
        }
    }
}
