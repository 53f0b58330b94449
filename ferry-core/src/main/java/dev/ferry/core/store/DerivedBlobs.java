package dev.ferry.core.store;

import dev.ferry.core.blob.BlobWriter;
import dev.ferry.core.blob.DerivedBlob;
import dev.ferry.core.home.StoreLock;
import dev.ferry.core.model.Digest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Blobs made from stored content (a thumbnail of an image), kept in the store itself, so every server
 * of the store makes each one once. What was made is written as new packs first and recorded in the
 * blob index only once those are durable, so a record never names a blob that is not there; gc keeps a
 * made blob while a bundle has its source.
 */
public final class DerivedBlobs {
    /** What was made of one source. */
    public sealed interface Made {
        /** The stored content it was made of. */
        Digest source();

        /** New bytes (a scaled thumbnail). */
        record Bytes(Digest source, byte[] bytes) implements Made {}

        /** The source serves as it is (an image small enough to be its own thumbnail). */
        record AsItIs(Digest source) implements Made {}

        /** Nothing can be made of this content (not an image the server decodes). */
        record Nothing(Digest source) implements Made {}
    }

    private final Store store;

    public DerivedBlobs(Store store) {
        this.store = store;
    }

    /** The records of these sources for {@code kind}; sources nothing was recorded for are absent. */
    public Map<Digest, DerivedBlob> find(String kind, Collection<Digest> sources) {
        return store.index().derived(kind, sources);
    }

    /** A made blob's bytes, checked against its digest (DATA_CORRUPT when they are gone or wrong). */
    public byte[] read(Digest derived) {
        return store.blobs().read(derived);
    }

    /** Stores what was made, as {@code kind}: the new bytes durable first, then the records. */
    public void store(String kind, Collection<? extends Made> made) {
        if (made.isEmpty()) {
            return;
        }
        List<DerivedBlob> records = new ArrayList<>(made.size());
        try (StoreLock.Held held = store.shared(); BlobWriter writer = store.blobs().newWriter()) {
            for (Made m : made) {
                Optional<Digest> derived = switch (m) {
                    case Made.Bytes b -> {
                        Digest d = Digest.of(b.bytes());
                        writer.put(d, ByteBuffer.wrap(b.bytes()));
                        yield Optional.of(d);
                    }
                    case Made.AsItIs a -> Optional.of(a.source());
                    case Made.Nothing n -> Optional.empty();
                };
                records.add(new DerivedBlob(m.source(), kind, derived));
            }
            writer.flush();
            store.index().recordDerived(records, Instant.now());
        }
    }

    /**
     * Forgets the records of {@code sources} (of any kind), so they are made again: for a made blob
     * found unreadable.
     */
    public void forget(Collection<Digest> sources) {
        store.index().forgetDerived(sources);
    }
}
