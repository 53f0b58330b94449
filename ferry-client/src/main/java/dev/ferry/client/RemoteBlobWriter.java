package dev.ferry.client;

import dev.ferry.core.api.Wire;
import dev.ferry.core.blob.BlobWriter;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Collects blobs into batches of at most {@link BlobFrames#MAX_BYTES}; each full batch first asks the
 * server which of its blobs it lacks, then sends only those as one pack upload. A few batches travel
 * at once; more wait, which holds the readers back, so memory stays bounded. A batch is stored on the
 * server when its upload answered: {@link #flush} returns when all have.
 */
final class RemoteBlobWriter implements BlobWriter {
    /** Batches on the wire at once; with two being filled, at most this many + 1 are in memory. */
    private static final int IN_FLIGHT = 3;

    private final HttpFerry server;
    private final Set<Digest> seen = ConcurrentHashMap.newKeySet();
    private final ExecutorService senders;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final List<Future<?>> sent = new ArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicLong newBytes = new AtomicLong();
    private final AtomicLong newBlobs = new AtomicLong();
    private final AtomicInteger packs = new AtomicInteger();
    private Batch open = new Batch();

    RemoteBlobWriter(HttpFerry server) {
        this.server = server;
        this.senders = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
            Thread t = new Thread(r, "ferry-pack-upload");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean put(Digest digest, byte[] data, int offset, int length) {
        throwIfFailed();
        if (BlobFrames.frameSize(length) > BlobFrames.MAX_BYTES) {
            throw new FerryException(ErrorCode.INTERNAL, "a blob of " + length + " bytes does not fit a pack upload",
                    "report it: chunks are at most 8 MiB");
        }
        if (!seen.add(digest)) {
            return false;
        }
        Batch full = null;
        synchronized (this) {
            if (!open.fits(length)) {
                full = open;
                open = new Batch();
            }
            open.add(digest, data, offset, length);
        }
        if (full != null) {
            send(full);
        }
        return true;
    }

    private void send(Batch batch) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while uploading");
        }
        Future<?> f = senders.submit(() -> {
            try {
                if (failure.get() == null) {
                    upload(batch);
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                slots.release();
            }
        });
        synchronized (sent) {
            sent.add(f);
        }
    }

    private void upload(Batch batch) {
        Set<Digest> missing = new HashSet<>(server.missingBlobs(batch.digests));
        if (missing.isEmpty()) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(batch.bytes + BlobFrames.MAGIC.length);
        try {
            BlobFrames.writeMagic(body);
            for (int i = 0; i < batch.digests.size(); i++) {
                if (missing.contains(batch.digests.get(i))) {
                    byte[] data = batch.data.get(i);
                    BlobFrames.writeFrame(body, batch.digests.get(i), data, 0, data.length);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Wire.PackReceipt receipt = server.uploadPack(body.toByteArray());
        newBytes.addAndGet(receipt.newBytes());
        newBlobs.addAndGet(receipt.newBlobs());
        packs.addAndGet(receipt.packs());
    }

    @Override
    public void flush() {
        Batch last;
        synchronized (this) {
            last = open;
            open = new Batch();
        }
        if (!last.digests.isEmpty()) {
            send(last);
        }
        List<Future<?>> waiting;
        synchronized (sent) {
            waiting = new ArrayList<>(sent);
            sent.clear();
        }
        for (Future<?> f : waiting) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while uploading");
            } catch (ExecutionException e) {
                throw new FerryException(ErrorCode.INTERNAL, "a pack upload failed: " + e.getCause(), null, e.getCause());
            }
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
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
        return packs.get();
    }

    /** Uploads not answered yet are abandoned; what the server stored of finished ones stays (gc reclaims it). */
    @Override
    public void close() {
        senders.shutdownNow();
    }

    /** Blobs waiting to be sent together. */
    private static final class Batch {
        final List<Digest> digests = new ArrayList<>();
        final List<byte[]> data = new ArrayList<>();
        int bytes;

        boolean fits(int length) {
            return digests.size() < BlobFrames.MAX_BLOBS && bytes + BlobFrames.frameSize(length) <= BlobFrames.MAX_BYTES;
        }

        void add(Digest digest, byte[] source, int offset, int length) {
            digests.add(digest);
            data.add(java.util.Arrays.copyOfRange(source, offset, offset + length));
            bytes += BlobFrames.frameSize(length);
        }
    }
}
