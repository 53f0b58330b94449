package dev.ferry.core.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.catalog.BundleCommit;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Author;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Ids;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.PackFormat;
import dev.ferry.core.pack.PackStore;
import dev.ferry.core.testing.TestFiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the {@link PackedBlobStore} must do beyond {@link BlobStoreContract}, over each catalog backend
 * and pack store: packs that describe themselves, damage found and recorded, and a filter of stored
 * digests that never makes it forget. Subclasses supply the index, catalog and pack store, and a way to
 * damage stored bytes.
 */
public abstract class PackedBlobStoreContract extends BlobStoreContract {
    /** Small packs, so that tests roll over several. */
    protected static final long PACK_BYTES = 64 * 1024;

    protected BlobIndex index;
    protected Catalog catalog;
    protected PackStore packs;

    /** Opens a fresh, empty index and catalog (they share a database) into {@link #index} and {@link #catalog}. */
    protected abstract void openIndex() throws Exception;

    protected abstract void closeIndex() throws Exception;

    protected abstract PackStore newPackStore() throws Exception;

    /** Flips one byte of a committed pack in place. */
    protected abstract void flipByte(String packId, long offset) throws Exception;

    @Override
    protected BlobStore newStore() throws Exception {
        openIndex();
        packs = newPackStore();
        return new PackedBlobStore(packs, index, catalog, PACK_BYTES, 4);
    }

    @Override
    protected void closeBackend() throws Exception {
        packs.close();
        closeIndex();
    }

    @Test
    void storedOnceIsOnePackAndAnAbandonedWriterLeavesNone() throws Exception {
        byte[] a = TestFiles.randomBytes(3, 1000);
        try (BlobWriter w = store.newWriter()) {
            put(w, a);
            w.flush();
        }
        try (BlobWriter w = store.newWriter()) {
            put(w, a);
            w.flush();
            assertThat(w.packsWritten()).isZero();
        }
        try (BlobWriter w = store.newWriter()) {
            put(w, TestFiles.randomBytes(4, 100));
        }
        assertThat(packs.list()).hasSize(1);
        assertThat(packs.removeAbandoned(java.time.Duration.ZERO)).isZero();
    }

    @Test
    void whileABlobIsRecordedDamagedNoManifestVouchesForItsBlobs() {
        byte[] a = TestFiles.randomBytes(8, 100);
        Digest x;
        try (BlobWriter w = store.newWriter()) {
            x = put(w, a);
            w.flush();
        }
        Author alice = new Author("Alice", "");
        catalog.createRepo("heal", "", alice, Instant.now());
        catalog.commit(new BundleCommit(Ids.newId(), "heal", "m", alice, Instant.now(), 1, 100, x, List.of("latest")));
        assertThat(store.containsManifest(x)).isTrue();
        index.markDamaged(List.of(store.locate(List.of(x)).get(x)), "its bytes do not match the digest", Instant.now());
        // an upload must then look at each blob: the damaged one may be among them
        assertThat(store.containsManifest(x)).isFalse();
        try (BlobWriter w = store.newWriter()) {
            assertThat(w.put(x, a, 0, a.length)).as("stored again").isTrue();
            w.flush();
        }
        assertThat(store.containsManifest(x)).isTrue();
    }

    @Test
    void aBlobWhosePackVanishedIsDataCorruption() throws Exception {
        Digest unknown = Digest.of(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> store.read(unknown)).isInstanceOf(FerryException.class)
                .hasMessageContaining("not in the store");
        Digest d;
        try (BlobWriter w = store.newWriter()) {
            d = put(w, TestFiles.randomBytes(6, 100));
            w.flush();
        }
        packs.delete(store.locate(List.of(d)).get(d).packId());
        assertThatThrownBy(() -> store.read(d)).isInstanceOf(FerryException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void packsRollOverAndEachDescribesItself() throws Exception {
        List<Digest> digests = new ArrayList<>();
        try (BlobWriter w = store.newWriter()) {
            for (int i = 0; i < 40; i++) {
                digests.add(put(w, TestFiles.randomBytes(100 + i, 10_000)));
            }
            w.flush();
            assertThat(w.packsWritten()).isGreaterThan(4);
        }
        List<PackRecord> records = index.listPacks();
        assertThat(records).hasSizeGreaterThan(4);
        long indexed = 0;
        for (PackRecord p : records) {
            List<BlobLocation> own = PackFormat.readIndex(packs, p.id());
            assertThat(own).containsExactlyInAnyOrderElementsOf(index.blobsInPack(p.id()));
            assertThat(p.size()).isEqualTo(packs.size(p.id()));
            indexed += own.size();
        }
        assertThat(indexed).isEqualTo(40);
        for (int i = 0; i < 40; i++) {
            assertThat(store.read(digests.get(i))).isEqualTo(TestFiles.randomBytes(100 + i, 10_000));
        }
    }

    @Test
    void damagedBytesAreDetectedAndTheMessageNamesThePack() throws Exception {
        byte[] a = TestFiles.randomBytes(5, 5000);
        Digest d;
        try (BlobWriter w = store.newWriter()) {
            d = put(w, a);
            w.flush();
        }
        BlobLocation at = store.locate(List.of(d)).get(d);
        flipByte(at.packId(), at.offset() + 100);
        assertThatThrownBy(() -> store.read(d))
                .isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.DATA_CORRUPT))
                .hasMessageContaining(d.toString())
                .hasMessageContaining(packs.locate(at.packId()));
    }

    /** The store's filter loads in the background; waits for it. */
    private static void awaitLoaded(BlobStore s) throws InterruptedException {
        PackedBlobStore p = (PackedBlobStore) s;
        for (int i = 0; i < 1000 && !p.knowsStoredBlobs(); i++) {
            Thread.sleep(10);
        }
        assertThat(p.knowsStoredBlobs()).as("the filter of stored digests loaded").isTrue();
    }

    @Test
    void whatWasStoredBeforeTheStoreOpenedIsKnownAndNotStoredAgain() throws Exception {
        List<byte[]> blobs = new ArrayList<>();
        try (BlobStore earlier = new PackedBlobStore(packs, index, catalog, PACK_BYTES, 2); BlobWriter w = earlier.newWriter()) {
            for (int i = 0; i < 200; i++) {
                byte[] b = TestFiles.randomBytes(100 + i, 700);
                blobs.add(b);
                put(w, b);
            }
            w.flush();
        }
        try (BlobWriter w = store.newWriter()) { // starts loading the filter
            w.flush();
        }
        awaitLoaded(store);
        PackedBlobStore packed = (PackedBlobStore) store;
        for (byte[] b : blobs) {
            assertThat(packed.mayHold(Digest.of(b))).isTrue();
        }
        assertThat(packed.mayHold(Digest.of(TestFiles.randomBytes(99, 700)))).isFalse();
        int packsBefore = packs.list().size();
        try (BlobWriter w = store.newWriter()) {
            for (byte[] b : blobs) {
                assertThat(w.put(Digest.of(b), b, 0, b.length)).isFalse();
            }
            w.flush();
            assertThat(w.newBlobs()).isZero();
        }
        assertThat(packs.list()).hasSize(packsBefore);
    }

    @Test
    void blobsAnotherProcessStoredMeanwhileAreNotStoredAgain() throws Exception {
        byte[] x = TestFiles.randomBytes(41, 5000);
        byte[] y = TestFiles.randomBytes(42, 6000);
        byte[] z = TestFiles.randomBytes(43, 7000);
        try (BlobWriter w = store.newWriter()) {
            put(w, x);
            w.flush();
        }
        awaitLoaded(store);
        // a second ferry process on the same FERRY_HOME (or another server on the same catalog) stores y
        try (BlobStore other = new PackedBlobStore(packs, index, catalog, PACK_BYTES, 2); BlobWriter w = other.newWriter()) {
            put(w, y);
            w.flush();
        }
        // this store's next session catches up with the other's pack: y is known, z is new
        try (BlobWriter w = store.newWriter()) {
            assertThat(w.put(Digest.of(y), y, 0, y.length)).as("y, stored by the other process").isFalse();
            assertThat(w.put(Digest.of(x), x, 0, x.length)).isFalse();
            assertThat(w.put(Digest.of(z), z, 0, z.length)).isTrue();
            w.flush();
            assertThat(w.newBlobs()).isEqualTo(1);
        }
        assertThat(store.read(Digest.of(y))).isEqualTo(y);
    }

    @Test
    void afterBlobsLeaveTheIndexTheFilterForgetsThem() throws Exception {
        byte[] x = TestFiles.randomBytes(51, 5000);
        try (BlobWriter w = store.newWriter()) {
            put(w, x);
            w.flush();
        }
        awaitLoaded(store);
        PackedBlobStore packed = (PackedBlobStore) store;
        assertThat(packed.mayHold(Digest.of(x))).isTrue();
        index.removePacks(index.listPacks().stream().map(PackRecord::id).toList());
        store.blobsRemoved(); // what gc does after removing blobs
        awaitLoaded(store);
        assertThat(packed.mayHold(Digest.of(x))).isFalse();
        // and storing it again works: it is new again
        try (BlobWriter w = store.newWriter()) {
            assertThat(w.put(Digest.of(x), x, 0, x.length)).isTrue();
            w.flush();
        }
        assertThat(store.read(Digest.of(x))).isEqualTo(x);
    }
}
