package dev.ferry.core.blob;

import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobLocation;
import java.util.Collection;
import java.util.Map;

/**
 * Content-addressed storage: bytes in, {@code sha256:<hex>} out, every read verified. Blobs live in
 * pack files (see {@link dev.ferry.core.pack.PackStore}); where each one is, is the catalog's blob
 * index. Every implementation must pass {@code BlobStoreContract}.
 */
public interface BlobStore extends AutoCloseable {

    boolean contains(Digest digest);

    /**
     * Whether a committed bundle has this manifest: then the manifest and every blob it names are
     * stored, and stay stored while any bundle references them.
     */
    boolean containsManifest(Digest manifestRoot);

    /** Where the known ones of {@code digests} are; unknown ones are absent from the map. */
    Map<Digest, BlobLocation> locate(Collection<Digest> digests);

    /** Which of {@code digests} the store has (a remote store answers without saying where). */
    default java.util.Set<Digest> present(Collection<Digest> digests) {
        return locate(digests).keySet();
    }

    /**
     * Whether every pack the store's index names is there (a store that cannot tell says true). The
     * blobs of a pack that is not are recorded as damaged, so that the next upload stores them again.
     */
    default boolean packsIntact() {
        return true;
    }

    /** Reads a blob and checks its digest; DATA_CORRUPT names the pack when the bytes are wrong or gone. */
    byte[] read(Digest digest);

    /**
     * The stored bytes of a blob as they are, not checked against the digest: only for a reader that
     * checks every one itself before using it (a remote client does, and reports what it finds damaged
     * with {@code POST /blobs/check}). A missing or truncated pack is DATA_CORRUPT as in {@link #read}.
     * Stores that cannot read without checking check.
     */
    default byte[] readStored(BlobLocation location) {
        return read(location);
    }

    /** Reads a blob already located, and checks its digest. */
    byte[] read(BlobLocation location);

    /**
     * Like {@link #read(BlobLocation)}, into {@code scratch} when it is large enough (else a new
     * buffer); the verified bytes are the returned buffer's remaining bytes.
     */
    java.nio.ByteBuffer read(BlobLocation location, java.nio.ByteBuffer scratch);

    /**
     * Whether every read is a round trip worth saving (a remote store): then a download reads small
     * files' blobs in batches with {@link #readAll}.
     */
    default boolean batchesReads() {
        return false;
    }

    /** Reads these blobs, each checked against its digest; the default reads them one at a time. */
    default Map<Digest, byte[]> readAll(Collection<Digest> digests) {
        Map<Digest, byte[]> blobs = new java.util.HashMap<>();
        for (Digest d : digests) {
            blobs.computeIfAbsent(d, this::read);
        }
        return blobs;
    }

    /** A writing session; many threads may put into one writer at once. */
    BlobWriter newWriter();

    /** Told after blobs left the index (gc), so that what the store caches about its contents is redone. */
    default void blobsRemoved() {}

    @Override
    void close();
}
