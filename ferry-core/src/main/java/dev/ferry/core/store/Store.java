package dev.ferry.core.store;

import dev.ferry.core.blob.BlobIndex;
import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.home.StoreLock;
import dev.ferry.core.pack.PackStore;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One store, as the code that writes and checks data needs it: the catalog (what users name), the
 * blob index (where bytes are), the pack files, the blob store over both, and the lock that keeps gc
 * away from work whose blobs no bundle names yet. Who opened the parts closes them.
 */
public record Store(Catalog catalog, BlobIndex index, PackStore packs, BlobStore blobs, StoreLock lock) {
    /** Uploads wait this long for a running gc. */
    static final Duration SHARED_WAIT = Duration.ofMinutes(10);
    /** gc waits this long for uploads and downloads before giving up. */
    static final Duration EXCLUSIVE_WAIT = Duration.ofSeconds(5);

    /** Holds the store shared (gc waits) until closed. */
    public StoreLock.Held shared() {
        return lock.shared(SHARED_WAIT);
    }

    /** Holds the store exclusively (no upload, download or check runs) until closed. */
    public StoreLock.Held exclusive() {
        return lock.exclusive(EXCLUSIVE_WAIT);
    }

    /** Runs work that writes blobs it does not yet reference, with gc kept away meanwhile. */
    public <T> T whileShared(Supplier<T> work) {
        try (StoreLock.Held held = shared()) {
            return work.get();
        }
    }
}
