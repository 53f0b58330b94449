package dev.ferry.core.blob;



import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Ids;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.PackStore;
import dev.ferry.core.pack.PackWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Several packs open at once (one per writing thread, so writers never wait on each other), sealed
 * in the background as they fill: sealing (index, fsync, rename, catalog rows) overlaps with the next
 * pack's writes. Write order per pack: bytes, fsync, rename, directory fsync, then the index rows.
 * Whether a blob is new is asked of {@link KnownBlobs} first, and of the catalog only when that says it
 * may be stored.
 */
final class PackingBlobWriter implements BlobWriter {
    private final PackStore packs;
    private final BlobIndex index;
    private final KnownBlobs known;
    /** Deduplicates only against copies whose pack is there (one look per pack for the session). */
    private final PackPresence presence;
    private final long packTargetBytes;
    private final int maxOpen;
    private final ArrayBlockingQueue<PackWriter> idle;
    private final AtomicInteger open = new AtomicInteger();
    /** Digests put in this session and not yet indexed: later puts of them are duplicates. */
    private final Set<Digest> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService sealer;
    /**
     * Backpressure: at most this many packs wait to be sealed. Until a pack is sealed its index and its
     * claims are in memory; without a bound, tiny files fill packs faster than fsync seals them.
     */
    private static final int MAX_WAITING_SEALS = 4;
    private final java.util.concurrent.Semaphore sealSlots = new java.util.concurrent.Semaphore(MAX_WAITING_SEALS);
    private final BackgroundWrites seals = new BackgroundWrites("sealing a pack");
    private final AtomicLong newBytes = new AtomicLong();
    private final AtomicLong newBlobs = new AtomicLong();
    private final AtomicInteger packsWritten = new AtomicInteger();

    PackingBlobWriter(PackStore packs, BlobIndex index, KnownBlobs known, PackPresence presence, long packTargetBytes,
            int maxOpen) {
        this.packs = packs;
        this.index = index;
        this.known = known;
        this.presence = presence;
        this.packTargetBytes = packTargetBytes;
        this.maxOpen = maxOpen;
        this.idle = new ArrayBlockingQueue<>(maxOpen);
        // Two sealers: one can fsync while the other writes its index rows.
        this.sealer = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ferry-pack-sealer");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean put(Digest digest, ByteBuffer data) {
        return putAll(data, List.of(new Part(digest, data.position(), data.remaining()))) == 1;
    }

    @Override
    public int putAll(ByteBuffer data, List<Part> parts) {
        seals.throwIfFailed();
        List<Part> claimed = new ArrayList<>(parts.size());
        for (Part part : parts) {
            if (pending.add(part.digest())) {
                claimed.add(part);
            }
        }
        if (claimed.isEmpty()) {
            return 0;
        }
        // the catalog is asked only about blobs the store may hold: for new data, none
        List<Digest> maybeStored = new ArrayList<>(claimed.size());
        for (Part part : claimed) {
            if (known.mayBeStored(part.digest())) {
                maybeStored.add(part.digest());
            }
        }
        Set<Digest> stored = maybeStored.isEmpty() ? Set.of() : presence.present(index.locate(maybeStored));
        List<Part> fresh = new ArrayList<>(claimed.size());
        for (Part part : claimed) {
            if (stored.contains(part.digest())) {
                pending.remove(part.digest());
            } else {
                fresh.add(part);
            }
        }
        int from = 0;
        while (from < fresh.size()) {
            PackWriter writer = acquire();
            int to = runEnd(fresh, from, writer);
            append(writer, data, fresh.subList(from, to));
            release(writer);
            from = to;
        }
        return fresh.size();
    }

    /**
     * Where the run of parts that starts at {@code from} ends: the parts lie back to back in the
     * buffer (so one write takes them all), and the run stops at the part that fills the pack.
     */
    private int runEnd(List<Part> parts, int from, PackWriter writer) {
        long bytes = 0;
        int end = from;
        while (true) {
            Part part = parts.get(end);
            bytes += part.length();
            end++;
            if (end == parts.size() || parts.get(end).offset() != part.offset() + part.length()
                    || writer.size() + bytes >= packTargetBytes
                    || writer.blobCount() + (end - from) >= PackedBlobStore.MAX_BLOBS_PER_PACK) {
                return end;
            }
        }
    }

    /** Appends a run of new blobs; on failure the pack is dropped and the writer fails for good. */
    private void append(PackWriter writer, ByteBuffer data, List<Part> run) {
        Part first = run.getFirst();
        Part last = run.getLast();
        List<Digest> digests = new ArrayList<>(run.size());
        int[] lengths = new int[run.size()];
        for (int i = 0; i < run.size(); i++) {
            digests.add(run.get(i).digest());
            lengths[i] = run.get(i).length();
        }
        long bytes = (long) last.offset() + last.length() - first.offset();
        try {
            writer.appendRun(data.slice(first.offset(), (int) bytes), digests, lengths);
        } catch (IOException e) {
            writer.close();
            open.decrementAndGet();
            throw seals.fail(storageFailure(writer.packId(), e));
        }
        newBytes.addAndGet(bytes);
        newBlobs.addAndGet(run.size());
    }

    private boolean isFull(PackWriter writer) {
        return writer.size() >= packTargetBytes || writer.blobCount() >= PackedBlobStore.MAX_BLOBS_PER_PACK;
    }

    /** Gives a pack back: sealed if it is full, else kept open for the next put. */
    private void release(PackWriter writer) {
        if (isFull(writer)) {
            sealInBackground(writer);
        } else {
            idle.add(writer);
        }
    }

    private PackWriter acquire() {
        PackWriter writer = idle.poll();
        if (writer != null) {
            return writer;
        }
        if (open.incrementAndGet() <= maxOpen) {
            String id = Ids.newId();
            try {
                return new PackWriter(packs, id);
            } catch (IOException e) {
                open.decrementAndGet();
                throw seals.fail(storageFailure(id, e));
            }
        }
        open.decrementAndGet();
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while writing packs");
        }
    }

    private void sealInBackground(PackWriter writer) {
        try {
            sealSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.close();
            open.decrementAndGet();
            throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while waiting to seal a pack");
        }
        open.decrementAndGet();
        seals.add(sealer.submit(() -> {
            try {
                seal(writer);
            } finally {
                sealSlots.release();
            }
        }));
    }

    private void seal(PackWriter writer) {
        if (seals.failed()) {
            writer.close();
            return;
        }
        try {
            List<BlobLocation> blobs = writer.seal();
            PackRecord pack = new PackRecord(writer.packId(), writer.size(), blobs.size(), Instant.now());
            known.remember(pack, blobs);
            index.addPack(pack, blobs, false);
            known.remember(pack, blobs);
            for (BlobLocation b : blobs) {
                pending.remove(b.digest());
            }
            packsWritten.incrementAndGet();
        } catch (IOException e) {
            writer.close();
            seals.fail(storageFailure(writer.packId(), e));
        } catch (RuntimeException e) {
            writer.close();
            seals.fail(e);
        }
    }

    @Override
    public void flush() {
        seals.throwIfFailed();
        PackWriter writer;
        while ((writer = idle.poll()) != null) {
            sealInBackground(writer);
        }
        seals.awaitAll();
    }

    private FerryException storageFailure(String packId, IOException e) {
        return dev.ferry.core.error.DiskFull.storeWriteFailed("pack " + packs.locate(packId), e);
    }

    @Override
    public long newBytes() {
        return newBytes.get();
    }

    @Override
    public long newBlobs() {
        return newBlobs.get();
    }

    @Override
    public int packsWritten() {
        return packsWritten.get();
    }

    @Override
    public void close() {
        PackWriter writer;
        while ((writer = idle.poll()) != null) {
            writer.close();
        }
        sealer.shutdown();
        try {
            sealer.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
