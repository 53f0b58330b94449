package dev.ferry.core.blob;

import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobLocation;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The metadata seam for stored bytes: which packs are durable, where each blob is (pack, offset,
 * length), which stored copies were found damaged, and which blobs were made from which content. Safe for concurrent use by many threads and
 * processes. Every implementation must pass {@code BlobIndexContract}.
 */
public interface BlobIndex {

    /**
     * Records a durable pack and its blobs in one transaction. A blob already indexed elsewhere keeps
     * its location unless {@code relocate} is set (repacking moves blobs on purpose). A blob recorded as
     * damaged is healed: its damage record goes.
     */
    void addPack(PackRecord pack, List<BlobLocation> blobs, boolean relocate);

    boolean hasBlob(Digest digest);

    /** The locations of those digests the index knows; unknown ones are absent from the map. */
    Map<Digest, BlobLocation> locate(Collection<Digest> digests);

    /** The blobs indexed in one pack, by offset. */
    List<BlobLocation> blobsInPack(String packId);

    /** Every indexed blob. */
    void forEachBlob(Consumer<BlobLocation> action);

    /** Every indexed digest, in no particular order (cheaper than {@link #forEachBlob} for a full scan). */
    void forEachDigest(Consumer<Digest> action);

    List<PackRecord> listPacks();

    /**
     * The packs whose recorded creation time is at or after {@code since}, by id. The time is the
     * writer's clock when it sealed the pack, not the commit's: a pack can become visible a little
     * after the time it carries.
     */
    List<PackRecord> packsCreatedSince(Instant since);

    /** Forgets packs and every blob still indexed in them. */
    void removePacks(Collection<String> packIds);

    // ---- damaged blobs

    /**
     * Records that these stored copies cannot be read ({@code reason} says why) and takes them out of
     * the blob index, in one transaction, so that nothing deduplicates against them any more. A copy the
     * index no longer points at (stored again meanwhile) is left alone.
     */
    void markDamaged(Collection<BlobLocation> blobs, String reason, Instant at);

    /** Whether any blob is recorded as damaged (cheap: asked before trusting a committed manifest). */
    boolean anyDamaged();

    /** The blobs recorded as damaged and not stored again since, by digest. */
    List<DamagedBlob> damagedBlobs();

    /** Forgets damage records (gc: no bundle needs those blobs any more). */
    void forgetDamaged(Collection<Digest> digests);

    // ---- derived blobs

    /**
     * What was recorded as made of these sources as {@code kind}, by source; sources nothing was
     * recorded for are absent.
     */
    Map<Digest, DerivedBlob> derived(String kind, Collection<Digest> sources);

    /**
     * Records what was made (each made blob is durable and indexed already). A source with a record of
     * its kind keeps it: two servers that made the same thumbnail at once both find the first one.
     */
    void recordDerived(Collection<DerivedBlob> made, Instant at);

    /** Every derived record (gc keeps what a live source's records name). */
    void forEachDerived(Consumer<DerivedBlob> action);

    /** Forgets every record of these sources, of any kind (gc: no bundle has their content any more). */
    void forgetDerived(Collection<Digest> sources);
}
