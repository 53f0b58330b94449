package dev.ferry.core.blob;


import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.PackStore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether indexed blobs are really there: their pack file exists and is long enough to hold them. The
 * index alone cannot know that a pack was deleted or cut short behind Ferry's back; deduplicating
 * against such a blob would commit a bundle that cannot be read. A copy found missing is recorded as
 * damaged (it leaves the index) and counts as not stored, so whoever asked stores it again.
 *
 * <p>One instance per operation (an upload session, a presence query): it remembers each pack's size
 * for as long as it lives, so a pack costs one look however many blobs it holds.
 */
final class PackPresence {
    private static final long GONE = -1;

    private final PackStore packs;
    private final BlobIndex index;
    private final Map<String, Long> sizes = new ConcurrentHashMap<>();

    PackPresence(PackStore packs, BlobIndex index) {
        this.packs = packs;
        this.index = index;
    }

    /** The digests of {@code found} whose copies are there; the others are recorded as damaged. */
    Set<Digest> present(Map<Digest, BlobLocation> found) {
        Set<Digest> present = new HashSet<>(found.keySet());
        Map<Boolean, List<BlobLocation>> lost = found.values().stream()
                .filter(b -> sizeOf(b.packId()) < b.offset() + b.length())
                .collect(java.util.stream.Collectors.partitioningBy(b -> sizeOf(b.packId()) == GONE));
        index.markDamaged(lost.get(true), "its pack file is missing", Instant.now());
        index.markDamaged(lost.get(false), "its pack file is truncated", Instant.now());
        lost.values().forEach(blobs -> blobs.forEach(b -> present.remove(b.digest())));
        return present;
    }

    private long sizeOf(String packId) {
        return sizes.computeIfAbsent(packId, id -> {
            try {
                return packs.size(id);
            } catch (NoSuchFileException e) {
                return GONE;
            } catch (IOException e) {
                throw new FerryException(ErrorCode.STORAGE_FAILED, "cannot look at pack " + packs.locate(id) + ": "
                        + e.getMessage(), "check the disk and permissions of the store", e);
            }
        });
    }
}
