package dev.ferry.core.blob;

import dev.ferry.core.catalog.Catalog;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.PackStore;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one {@link BlobStore}: packs in a {@link PackStore}, their index in a {@link BlobIndex}; the
 * {@link Catalog} answers whether a manifest was committed (an unchanged folder skips its upload).
 */
public final class PackedBlobStore implements BlobStore {
    /**
     * Tens of MiB: few files and fsyncs per GiB, small enough to seal often during a long upload. Each
     * sealed pack is one catalog commit, which rewrites most leaves of the blob index (its keys are
     * random): 64 MiB rather than 32 halved those commits and took ~3% off an upload's CPU (two A/Bs,
     * bench/RESULTS.md).
     */
    public static final long DEFAULT_PACK_BYTES = 64L << 20;
    /**
     * A pack is also sealed at this many blobs: until it is sealed, every blob in it is held in memory
     * (its index entry, and the session's claim on its digest), which for tiny files would otherwise
     * mean hundreds of thousands per pack. 8k entries are a 352 KiB trailing index.
     */
    public static final int MAX_BLOBS_PER_PACK = 8_192;

    private final PackStore packs;
    private final BlobIndex index;
    private final Catalog catalog;
    private final long packTargetBytes;
    private final int parallelism;
    private final KnownBlobs known;

    public PackedBlobStore(PackStore packs, BlobIndex index, Catalog catalog) {
        this(packs, index, catalog, DEFAULT_PACK_BYTES, Runtime.getRuntime().availableProcessors());
    }

    public PackedBlobStore(PackStore packs, BlobIndex index, Catalog catalog, long packTargetBytes, int parallelism) {
        this.packs = packs;
        this.index = index;
        this.catalog = catalog;
        this.packTargetBytes = packTargetBytes;
        this.parallelism = Math.max(1, parallelism);
        this.known = new KnownBlobs(index);
    }

    @Override
    public boolean contains(Digest digest) {
        return index.hasBlob(digest);
    }

    @Override
    public boolean containsManifest(Digest manifestRoot) {
        // a committed manifest's blobs were all stored; damage found since may have taken some away
        return catalog.hasManifest(manifestRoot) && !index.anyDamaged();
    }

    @Override
    public Map<Digest, BlobLocation> locate(Collection<Digest> digests) {
        return index.locate(digests);
    }

    /**
     * The indexed ones of {@code digests} whose pack file is there and long enough to hold them: what
     * a bundle may name. A copy whose pack is gone or cut short is recorded as damaged (so the upload
     * that asked stores it again) and is not present.
     */
    @Override
    public java.util.Set<Digest> present(Collection<Digest> digests) {
        return new PackPresence(packs, index).present(locate(digests));
    }

    /**
     * Whether every pack the index names is there with at least its recorded size; the blobs of one
     * that is not are recorded as damaged. One listing of the packs: cheap enough for an upload's
     * no-change shortcut, which otherwise looks at no blob at all.
     */
    @Override
    public boolean packsIntact() {
        Map<String, Long> onDisk = new java.util.HashMap<>();
        try {
            packs.list().forEach(p -> onDisk.put(p.id(), p.size()));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.STORAGE_FAILED, "cannot list the packs of the store: " + e.getMessage(),
                    "check the disk and permissions of the store", e);
        }
        boolean intact = true;
        for (PackRecord pack : index.listPacks()) {
            Long size = onDisk.get(pack.id());
            if (size == null || size < pack.size()) {
                intact = false;
                index.markDamaged(index.blobsInPack(pack.id()), size == null ? "its pack file is missing"
                        : "its pack file is truncated", java.time.Instant.now());
            }
        }
        return intact;
    }

    @Override
    public byte[] read(Digest digest) {
        BlobLocation location = index.locate(List.of(digest)).get(digest);
        if (location == null) {
            throw new FerryException(ErrorCode.DATA_CORRUPT, "blob " + digest + " is not in the store",
                    "the store lost data a bundle needs; run 'ferry fsck' to see what is affected");
        }
        return read(location);
    }

    @Override
    public byte[] read(BlobLocation location) {
        return read(location, null).array();
    }

    @Override
    public byte[] readStored(BlobLocation location) {
        return stored(location, null).array();
    }

    @Override
    public java.nio.ByteBuffer read(BlobLocation location, java.nio.ByteBuffer scratch) {
        java.nio.ByteBuffer bytes = stored(location, scratch);
        if (!Digest.of(bytes).equals(location.digest())) {
            throw corrupt(location, "its bytes do not match the digest");
        }
        return bytes;
    }

    /** The bytes where the index places a blob, unchecked. */
    private java.nio.ByteBuffer stored(BlobLocation location, java.nio.ByteBuffer scratch) {
        try {
            return packs.read(location.packId(), location.offset(), location.length(), scratch);
        } catch (NoSuchFileException e) {
            throw corrupt(location, "its pack file is missing");
        } catch (EOFException e) {
            throw corrupt(location, "its pack file is truncated");
        } catch (IOException e) {
            throw new FerryException(ErrorCode.STORAGE_FAILED, "cannot read pack " + packs.locate(location.packId())
                    + ": " + e.getMessage(), "check the disk and permissions of the store", e);
        }
    }

    /**
     * Records the copy as damaged (it leaves the index, so the next upload of its content stores it
     * again) and says so. The record is best effort: a catalog that fails here fails the read anyway.
     */
    private FerryException corrupt(BlobLocation location, String why) {
        try {
            index.markDamaged(List.of(location), why, java.time.Instant.now());
        } catch (RuntimeException recordFailed) {
            // the read fails either way; fsck finds the damage again
        }
        return new FerryException(ErrorCode.DATA_CORRUPT,
                "blob " + location.digest() + " is damaged: " + why + " (" + packs.locate(location.packId())
                        + " at offset " + location.offset() + ")",
                "push or upload the files it came from again to store it anew; 'ferry fsck' lists every damaged"
                        + " blob and the files that need it");
    }

    @Override
    public BlobWriter newWriter() {
        known.catchUp();
        return new PackingBlobWriter(packs, index, known, new PackPresence(packs, index), packTargetBytes, parallelism);
    }

    @Override
    public void blobsRemoved() {
        known.reload();
    }

    /** True once the filter of stored digests is loaded (for tests). */
    boolean knowsStoredBlobs() {
        return known.loaded();
    }

    /** What the filter of stored digests says (for tests): false means surely not stored. */
    boolean mayHold(Digest digest) {
        return known.mayBeStored(digest);
    }

    @Override
    public void close() {
        // The pack store and catalog belong to whoever opened them.
        known.close();
    }
}
