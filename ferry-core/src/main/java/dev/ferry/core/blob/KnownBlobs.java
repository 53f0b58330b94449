package dev.ferry.core.blob;



import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which blobs the store surely does not hold: a Bloom filter of every digest in the catalog's blob
 * index, so that an upload of new data does not ask the catalog about every batch of blobs it puts
 * (1,250 queries for 20,000 small files; skipping them took 8% off a fresh server's uploads, whose
 * JIT compiler had been busy with the JDBC path, and 5% off a warm server's, bench/RESULTS.md).
 *
 * <p>It is a hint for deduplication only: a blob it wrongly calls new is stored a second time (the
 * index keeps the first copy; the second is dead bytes, which gc reclaims once they are most of their
 * pack), never lost; and reads never consult it.
 *
 * <p>How it stays true to the catalog:
 * <ul>
 *   <li>It is loaded in the background when the first writing session starts; until it is loaded
 *       every digest "may be stored" and the catalog is asked, as without it.</li>
 *   <li>This process's packs are added just before their index rows commit (a session asking
 *       meanwhile hears "maybe") and again just after (a load scanning meanwhile cannot miss them).</li>
 *   <li>Packs that other processes indexed (a second ferry process on the same FERRY_HOME, another
 *       server on the same PostgreSQL catalog) are caught up at the start of each writing session:
 *       those created at most {@link #MARGIN} before the last catch-up that it has not absorbed yet.
 *       Blobs another process stores during a session can be stored twice, as they could be
 *       before this filter existed (between a lookup and the seal of the pack).</li>
 *   <li>It is loaded again after gc removed blobs, so that their digests stop answering "maybe".</li>
 * </ul>
 */
final class KnownBlobs implements AutoCloseable {
    /**
     * How much later than the time it carries a pack may become visible: the writer stamps a pack
     * when it seals it, and its commit follows within moments; clocks of different machines on one
     * catalog may also differ by this much.
     */
    static final Duration MARGIN = Duration.ofMinutes(10);

    private final BlobIndex index;
    private final ExecutorService loader;
    private final Object lock = new Object();
    private final ReentrantLock catchingUp = new ReentrantLock();
    /** Null until loaded (and while reloading): every digest may be stored. */
    private volatile DigestBloomFilter current;
    /** The filter a load is filling; guarded by {@link #lock}. */
    private DigestBloomFilter loading;
    /** Packs created before this time minus {@link #MARGIN} are in {@link #current}; guarded by lock. */
    private Instant caughtUpTo;
    /** Packs created since then that are in the filter already, with their times; guarded by lock. */
    private final Map<String, Instant> absorbed = new HashMap<>();
    /** Counts reloads asked for, so that a load that ran across one is repeated; guarded by lock. */
    private long generation;
    private boolean loadRunning;
    private volatile boolean closed;

    KnownBlobs(BlobIndex index) {
        this.index = index;
        // one thread, started for a load and gone a little after it
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "ferry-known-blobs");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.loader = pool;
    }

    /** False only if the store surely does not hold this digest. */
    boolean mayBeStored(Digest digest) {
        DigestBloomFilter filter = current;
        return filter == null || filter.mightContain(digest);
    }

    /** True once loaded (for tests). */
    boolean loaded() {
        return current != null;
    }

    /**
     * Called when a writing session starts: loads the filter the first time (in the background), and
     * afterwards adds the packs other processes indexed since the last call.
     */
    void catchUp() {
        if (closed) {
            return;
        }
        synchronized (lock) {
            if (current == null) {
                startLoad();
                return;
            }
        }
        catchingUp.lock();
        try {
            Instant now = Instant.now();
            Instant since;
            synchronized (lock) {
                since = caughtUpTo.minus(MARGIN);
            }
            for (PackRecord pack : index.packsCreatedSince(since)) {
                boolean known;
                synchronized (lock) {
                    known = absorbed.containsKey(pack.id());
                }
                if (!known) {
                    remember(pack, index.blobsInPack(pack.id()));
                }
            }
            synchronized (lock) {
                caughtUpTo = now;
                absorbed.values().removeIf(created -> created.isBefore(now.minus(MARGIN)));
            }
        } catch (RuntimeException e) {
            // A filter that may lack another process's packs would store their blobs again: drop it
            // (the catalog is asked about every blob) and load it afresh.
            reload();
        } finally {
            catchingUp.unlock();
        }
    }

    /** Adds a pack's blobs; called before its index rows commit and again after. */
    void remember(PackRecord pack, List<BlobLocation> blobs) {
        synchronized (lock) {
            DigestBloomFilter filter = current;
            if (filter == null && loading == null) {
                return; // the next load scans the catalog, which has (or will have) them
            }
            for (BlobLocation b : blobs) {
                if (filter != null) {
                    filter.add(b.digest());
                }
                if (loading != null) {
                    loading.add(b.digest());
                }
            }
            absorbed.put(pack.id(), pack.createdAt());
        }
    }

    /** Forgets everything and loads again; for after blobs left the index (gc). */
    void reload() {
        synchronized (lock) {
            current = null;
            absorbed.clear();
            generation++;
            startLoad();
        }
    }

    /** Holds {@link #lock}. */
    private void startLoad() {
        if (loadRunning || closed) {
            return;
        }
        loadRunning = true;
        loader.execute(this::load);
    }

    private void load() {
        while (true) {
            DigestBloomFilter filling = new DigestBloomFilter(DigestBloomFilter.MIN_CAPACITY);
            long startedGeneration;
            synchronized (lock) {
                loading = filling;
                startedGeneration = generation;
            }
            Instant start = Instant.now();
            try {
                // listed before the scan, so every pack listed is in it
                List<PackRecord> recent = index.packsCreatedSince(start.minus(MARGIN));
                index.forEachDigest(d -> {
                    if (closed) {
                        throw new Stopped();
                    }
                    filling.add(d);
                });
                synchronized (lock) {
                    loading = null;
                    if (generation != startedGeneration) {
                        continue; // gc removed blobs while this load ran: they may be in it
                    }
                    recent.forEach(p -> absorbed.put(p.id(), p.createdAt()));
                    caughtUpTo = start;
                    current = filling;
                    loadRunning = false;
                    return;
                }
            } catch (RuntimeException e) {
                // closed, or the catalog failed: stay unloaded (the catalog is asked); the next session tries again
                synchronized (lock) {
                    loading = null;
                    loadRunning = false;
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        loader.shutdownNow();
        try {
            loader.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends a scan when the store closes; carries no stack trace. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
