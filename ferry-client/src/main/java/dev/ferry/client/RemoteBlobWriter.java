package dev.ferry.client;

import dev.ferry.core.api.Wire;
import dev.ferry.core.blob.BackgroundWrites;
import dev.ferry.core.blob.BlobWriter;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobFrames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects blobs into batches of at most {@link BlobFrames#MAX_BYTES}, each written as frames straight
 * into one of a few reused buffers (a gigabyte upload allocates almost nothing: measured, per-blob
 * copies cost more in GC pauses than the hashing). A full batch first asks the server which of its
 * blobs it lacks, then sends only those as one pack upload. A few batches travel at once; when every
 * buffer is on the wire, the readers wait, so memory stays bounded. A batch is stored on the server
 * when its upload answered: {@link #flush} returns when all have.
 */
final class RemoteBlobWriter implements BlobWriter {
    /** Batches on the wire at once; one more is being filled. */
    private static final int IN_FLIGHT = 3;
    private static final int BUFFERS = IN_FLIGHT + 1;

    private final BlobWire server;
    private final Set<Digest> seen = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<byte[]> freeBuffers = new ArrayBlockingQueue<>(BUFFERS);
    private int buffersMade;
    private final ExecutorService senders;
    private final BackgroundWrites uploads = new BackgroundWrites("uploading a pack");
    private final AtomicLong newBytes = new AtomicLong();
    private final AtomicLong newBlobs = new AtomicLong();
    private final AtomicInteger packs = new AtomicInteger();
    private Batch open;

    RemoteBlobWriter(BlobWire server) {
        this.server = server;
        this.senders = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
            Thread t = new Thread(r, "ferry-pack-upload");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean put(Digest digest, java.nio.ByteBuffer data) {
        uploads.throwIfFailed();
        int length = data.remaining();
        if (BlobFrames.frameSize(length) > BlobFrames.MAX_BYTES) {
            throw new FerryException(ErrorCode.INTERNAL, "a blob of " + length + " bytes does not fit a pack upload",
                    "report it: chunks are at most 8 MiB");
        }
        if (!seen.add(digest)) {
            return false;
        }
        synchronized (this) {
            if (open != null && !open.fits(length)) {
                send(open);
                open = null;
            }
            if (open == null) {
                open = new Batch(buffer());
            }
            open.add(digest, data);
        }
        return true;
    }

    /** A free buffer; waits while all of them are on the wire (that is the backpressure). */
    private byte[] buffer() {
        byte[] free = freeBuffers.poll();
        if (free != null) {
            return free;
        }
        if (buffersMade < BUFFERS) {
            buffersMade++;
            return new byte[BlobFrames.MAGIC.length + BlobFrames.MAX_BYTES];
        }
        try {
            return freeBuffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while uploading");
        }
    }

    private void send(Batch batch) {
        uploads.add(senders.submit(() -> {
            try {
                if (!uploads.failed()) {
                    upload(batch);
                }
            } catch (RuntimeException e) {
                uploads.fail(e);
            } finally {
                freeBuffers.add(batch.buffer);
            }
        }));
    }

    private void upload(Batch batch) {
        Set<Digest> missing = new HashSet<>(server.missing(batch.digests));
        if (missing.isEmpty()) {
            return;
        }
        int size = batch.keepOnly(missing);
        Wire.PackReceipt receipt = server.uploadPack(batch.buffer, size);
        newBytes.addAndGet(receipt.newBytes());
        newBlobs.addAndGet(receipt.newBlobs());
        packs.addAndGet(receipt.packs());
    }

    @Override
    public void flush() {
        synchronized (this) {
            if (open != null) {
                send(open);
                open = null;
            }
        }
        uploads.awaitAll();
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

    /** Frames waiting to be sent together, already laid out as the body of a pack upload. */
    private static final class Batch {
        final byte[] buffer;
        final List<Digest> digests = new ArrayList<>();
        final List<int[]> frames = new ArrayList<>(); // {start, end} of each frame in buffer
        int size;

        Batch(byte[] buffer) {
            this.buffer = buffer;
            System.arraycopy(BlobFrames.MAGIC, 0, buffer, 0, BlobFrames.MAGIC.length);
            size = BlobFrames.MAGIC.length;
        }

        boolean fits(int length) {
            return digests.size() < BlobFrames.MAX_BLOBS
                    && size - BlobFrames.MAGIC.length + BlobFrames.frameSize(length) <= BlobFrames.MAX_BYTES;
        }

        void add(Digest digest, java.nio.ByteBuffer source) {
            int end = BlobFrames.writeFrame(buffer, size, digest, source);
            digests.add(digest);
            frames.add(new int[] {size, end});
            size = end;
        }

        /** Moves the frames of {@code keep} to the front (in order) and returns the body's new length. */
        int keepOnly(Set<Digest> keep) {
            if (keep.size() == digests.size()) {
                return size;
            }
            int at = BlobFrames.MAGIC.length;
            for (int i = 0; i < digests.size(); i++) {
                if (keep.contains(digests.get(i))) {
                    int[] f = frames.get(i);
                    System.arraycopy(buffer, f[0], buffer, at, f[1] - f[0]);
                    at += f[1] - f[0];
                }
            }
            return at;
        }
    }
}
