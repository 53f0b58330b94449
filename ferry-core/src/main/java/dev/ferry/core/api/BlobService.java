package dev.ferry.core.api;

import dev.ferry.core.blob.BlobWriter;
import dev.ferry.core.blob.PutBatch;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.StoreLock;
import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobFrames;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a server's blob routes do with its store: take a client's blobs (checked, all or none), say
 * which of a list it lacks, whether a manifest was committed, and hand blobs out verified. Holds the
 * store shared while it works, like an upload or download in-process.
 */
public final class BlobService {
    private final Store store;

    BlobService(Store store) {
        this.store = store;
    }

    /**
     * Stores a client's pack upload ({@link BlobFrames}): every blob is checked against its digest and
     * the whole upload is stored, or on any error (a bad digest, a body cut short) none of it. The
     * blobs stay unreferenced until a run commits a bundle naming them; gc's grace period keeps them
     * meanwhile.
     */
    public Wire.PackReceipt store(InputStream body) throws IOException {
        try (StoreLock.Held held = store.shared(); BlobWriter writer = store.blobs().newWriter()) {
            PutBatch batch = new PutBatch(writer, 1 << 20);
            int count = BlobFrames.read(body, batch::add);
            batch.flush();
            writer.flush();
            return new Wire.PackReceipt(count, writer.newBlobs(), writer.newBytes(), writer.packsWritten());
        }
    }

    /** One blob's bytes as stored ({@code GET /blobs/{digest}}: the client checks them, as for {@link #read(List, Supplier)}). */
    public byte[] read(Digest digest) {
        // located under the lock too: a gc between locating and reading would make a removed pack look damaged
        try (StoreLock.Held held = store.shared()) {
            BlobLocation where = store.blobs().locate(List.of(digest)).get(digest);
            if (where == null) {
                throw FerryException.notFound("blob " + digest + " is not in this server's store",
                        "check the digest; 'ferry fsck' on the server lists damaged bundles");
            }
            return store.blobs().readStored(where);
        }
    }

    /**
     * Many blobs in one answer ({@code POST /blobs/read}): at most {@link BlobFrames#MAX_BLOBS} blobs
     * and {@link BlobFrames#MAX_BYTES} of frames, all of them stored (NOT_FOUND names the first that is
     * not), checked before {@code body} is asked for; then written as BlobFrames, as stored: the client
     * checks every frame against its digest (hashing each blob here too would double the CPU a download
     * costs) and sends what it finds damaged to {@link #check}.
     */
    public void read(List<Digest> digests, Supplier<OutputStream> body) throws IOException {
        if (digests.size() > BlobFrames.MAX_BLOBS) {
            throw FerryException.invalid("at most " + BlobFrames.MAX_BLOBS + " blobs per read, not "
                    + digests.size(), "ask in several requests");
        }
        try (StoreLock.Held held = store.shared()) {
            Map<Digest, BlobLocation> located = store.blobs().locate(digests);
            long bytes = 0;
            for (Digest d : digests) {
                BlobLocation where = located.get(d);
                if (where == null) {
                    throw FerryException.notFound("blob " + d + " is not in this server's store",
                            "check the digest; 'ferry fsck' on the server lists damaged bundles");
                }
                bytes += BlobFrames.frameSize(where.length());
            }
            if (bytes > BlobFrames.MAX_BYTES) {
                throw FerryException.invalid("these blobs are " + (bytes >> 20) + " MiB; one read answers at most "
                        + (BlobFrames.MAX_BYTES >> 20) + " MiB", "ask in several requests");
            }
            OutputStream out = body.get();
            BlobFrames.writeMagic(out);
            for (Digest d : digests) {
                BlobFrames.writeFrame(out, d, store.blobs().readStored(located.get(d)));
            }
            out.flush();
        }
    }

    /**
     * Which of these blobs are damaged here ({@code POST /blobs/check}, from a client whose download met
     * a blob that did not match its digest): each is read and checked, and a damaged one is recorded as
     * such (it leaves the blob index, so the next upload of its content stores it again). Unknown
     * digests are not damaged, only absent. At most {@link BlobFrames#MAX_BLOBS}.
     */
    public List<Digest> check(List<Digest> digests) {
        if (digests.size() > BlobFrames.MAX_BLOBS) {
            throw FerryException.invalid("at most " + BlobFrames.MAX_BLOBS + " blobs per check, not " + digests.size(),
                    "ask in several requests");
        }
        try (StoreLock.Held held = store.shared()) {
            Map<Digest, BlobLocation> located = store.blobs().locate(digests);
            List<Digest> damaged = new java.util.ArrayList<>();
            for (Digest d : digests) {
                BlobLocation where = located.get(d);
                if (where == null) {
                    continue;
                }
                try {
                    store.blobs().read(where); // checks the digest; a mismatch is recorded as damage
                } catch (FerryException e) {
                    if (e.code() != dev.ferry.core.error.ErrorCode.DATA_CORRUPT) throw e;
                    damaged.add(d);
                }
            }
            return damaged;
        }
    }

    /**
     * Which of these blobs a client must send: those the store does not hold, or holds in a pack that
     * is gone (recorded as damaged, so that they are stored again).
     */
    public List<Digest> missing(List<Digest> digests) {
        Set<Digest> present = store.blobs().present(digests);
        return digests.stream().filter(d -> !present.contains(d)).toList();
    }

    /** Whether a committed bundle has this manifest (so an unchanged folder needs no upload at all). */
    public boolean hasManifest(Digest root) {
        return store.blobs().containsManifest(root);
    }
}
