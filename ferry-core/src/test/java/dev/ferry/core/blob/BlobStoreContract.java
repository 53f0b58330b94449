package dev.ferry.core.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.catalog.PackRecord;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.PackFormat;
import dev.ferry.core.pack.PackStore;
import dev.ferry.core.testing.TestFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do. Subclasses supply the catalog and pack store (so the suite runs
 * over each catalog backend), and a way to damage stored bytes.
 */
public abstract class BlobStoreContract {
    /** Small packs, so that tests roll over several. */
    protected static final long PACK_BYTES = 64 * 1024;

    protected Catalog catalog;
    protected PackStore packs;
    protected BlobStore store;

    protected abstract Catalog newCatalog() throws Exception;

    protected abstract PackStore newPackStore() throws Exception;

    /** Flips one byte of a committed pack in place. */
    protected abstract void flipByte(String packId, long offset) throws Exception;

    @BeforeEach
    void open() throws Exception {
        catalog = newCatalog();
        packs = newPackStore();
        store = new PackedBlobStore(packs, catalog, PACK_BYTES, 4);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        packs.close();
        catalog.close();
    }

    private static Digest put(BlobWriter w, byte[] data) {
        Digest d = Digest.of(data);
        w.put(d, data, 0, data.length);
        return d;
    }

    @Test
    void blobsAreFindableAfterFlushAndReadBackVerified() {
        byte[] a = TestFiles.randomBytes(1, 1000);
        byte[] b = TestFiles.randomBytes(2, 50_000);
        Digest da;
        Digest db;
        try (BlobWriter w = store.newWriter()) {
            da = put(w, a);
            db = put(w, b);
            w.flush();
            assertThat(w.newBlobs()).isEqualTo(2);
            assertThat(w.newBytes()).isEqualTo(51_000);
        }
        assertThat(store.contains(da)).isTrue();
        assertThat(store.read(da)).isEqualTo(a);
        assertThat(store.read(store.locate(List.of(db)).get(db))).isEqualTo(b);
    }

    @Test
    void theSameBytesAreStoredOnce() throws Exception {
        byte[] a = TestFiles.randomBytes(3, 1000);
        try (BlobWriter w = store.newWriter()) {
            assertThat(w.put(Digest.of(a), a, 0, a.length)).isTrue();
            assertThat(w.put(Digest.of(a), a, 0, a.length)).isFalse();
            w.flush();
        }
        try (BlobWriter w = store.newWriter()) {
            assertThat(w.put(Digest.of(a), a, 0, a.length)).isFalse();
            w.flush();
            assertThat(w.packsWritten()).isZero();
        }
        assertThat(packs.list()).hasSize(1);
    }

    @Test
    void aBatchStoresOnlyWhatIsNewAndRollsPacksOver() throws Exception {
        byte[] stored = TestFiles.randomBytes(30, 3000);
        try (BlobWriter w = store.newWriter()) {
            put(w, stored);
            w.flush();
        }
        // one buffer: an already stored blob, 30 new ones (more than two small packs' worth), one twice
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        List<BlobWriter.Part> parts = new ArrayList<>();
        List<byte[]> fresh = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            fresh.add(TestFiles.randomBytes(300 + i, 5000 + i));
        }
        for (byte[] blob : concat(List.of(stored), fresh, List.of(fresh.get(7)))) {
            parts.add(new BlobWriter.Part(Digest.of(blob), buffer.size(), blob.length));
            buffer.writeBytes(blob);
        }
        // direct, as an upload reads files into it; part offsets are indexes whatever the position
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(buffer.size()).put(buffer.toByteArray()).position(17);
        try (BlobWriter w = store.newWriter()) {
            assertThat(w.putAll(direct, parts)).isEqualTo(30);
            // the same batch again in the same session: all claimed already
            assertThat(w.putAll(java.nio.ByteBuffer.wrap(buffer.toByteArray()), parts)).isZero();
            w.flush();
            assertThat(w.newBlobs()).isEqualTo(30);
            assertThat(w.packsWritten()).isGreaterThan(1);
        }
        for (byte[] blob : fresh) {
            assertThat(store.read(Digest.of(blob))).isEqualTo(blob);
        }
        assertThat(catalog.listPacks().stream().mapToLong(p -> catalog.blobsInPack(p.id()).size()).sum()).isEqualTo(31);
    }

    @Test
    void blobsArrivingOneAtATimeAreStoredInBatches() throws Exception {
        byte[] stored = TestFiles.randomBytes(40, 2000);
        try (BlobWriter w = store.newWriter()) {
            put(w, stored);
            w.flush();
        }
        List<byte[]> fresh = new ArrayList<>();
        for (int i = 0; i < 150; i++) { // more than two batches' worth of blobs
            fresh.add(TestFiles.randomBytes(400 + i, 100 + 37 * i));
        }
        fresh.add(TestFiles.randomBytes(999, 40_000)); // larger than a batch: on its own
        byte[] reused = new byte[64 * 1024]; // the way a frame reader reuses its buffer
        try (BlobWriter w = store.newWriter()) {
            PutBatch batch = new PutBatch(w, 16 * 1024);
            for (byte[] blob : concat(List.of(stored), fresh, List.of(fresh.get(3), fresh.get(149)))) {
                System.arraycopy(blob, 0, reused, 0, blob.length);
                batch.add(Digest.of(blob), reused, blob.length);
                java.util.Arrays.fill(reused, (byte) 0);
            }
            batch.flush();
            w.flush();
            assertThat(w.newBlobs()).isEqualTo(151);
        }
        for (byte[] blob : fresh) {
            assertThat(store.read(Digest.of(blob))).isEqualTo(blob);
        }
    }

    @SafeVarargs
    private static List<byte[]> concat(List<byte[]>... lists) {
        List<byte[]> all = new ArrayList<>();
        for (List<byte[]> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    @Test
    void nothingIsVisibleWithoutFlushAndAbandonedPacksAreRemoved() throws Exception {
        Digest d;
        try (BlobWriter w = store.newWriter()) {
            d = put(w, TestFiles.randomBytes(4, 100));
        }
        assertThat(store.contains(d)).isFalse();
        assertThat(packs.list()).isEmpty();
        assertThat(packs.removeAbandoned(java.time.Duration.ZERO)).isZero();
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
        List<PackRecord> records = catalog.listPacks();
        assertThat(records).hasSizeGreaterThan(4);
        long indexed = 0;
        for (PackRecord p : records) {
            List<BlobLocation> own = PackFormat.readIndex(packs, p.id());
            assertThat(own).containsExactlyInAnyOrderElementsOf(catalog.blobsInPack(p.id()));
            assertThat(p.size()).isEqualTo(packs.size(p.id()));
            indexed += own.size();
        }
        assertThat(indexed).isEqualTo(40);
        for (int i = 0; i < 40; i++) {
            assertThat(store.read(digests.get(i))).isEqualTo(TestFiles.randomBytes(100 + i, 10_000));
        }
    }

    @Test
    void manyThreadsPutIntoOneWriter() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Digest> digests = new ArrayList<>();
        try (BlobWriter w = store.newWriter()) {
            List<Future<Digest>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int seed = i % 300; // 100 duplicates
                futures.add(pool.submit(() -> put(w, TestFiles.randomBytes(seed, 3000))));
            }
            for (Future<Digest> f : futures) digests.add(f.get());
            w.flush();
            assertThat(w.newBlobs()).isEqualTo(300);
        } finally {
            pool.shutdownNow();
        }
        List<BlobLocation> all = new ArrayList<>();
        catalog.forEachBlob(all::add);
        assertThat(all).hasSize(300);
        for (int i = 0; i < 400; i++) {
            assertThat(store.read(digests.get(i))).isEqualTo(TestFiles.randomBytes(i % 300, 3000));
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

    @Test
    void unknownAndVanishedBlobsAreDataCorruption() throws Exception {
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
    void emptyBlobIsStorable() {
        try (BlobWriter w = store.newWriter()) {
            w.put(Digest.EMPTY, new byte[0], 0, 0);
            w.flush();
        }
        assertThat(store.read(Digest.EMPTY)).isEmpty();
    }

    // ---- the filter of stored digests (KnownBlobs): a hint that must never make the store forget

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
        try (BlobStore earlier = new PackedBlobStore(packs, catalog, PACK_BYTES, 2); BlobWriter w = earlier.newWriter()) {
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
        try (BlobStore other = new PackedBlobStore(packs, catalog, PACK_BYTES, 2); BlobWriter w = other.newWriter()) {
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
        catalog.removePacks(catalog.listPacks().stream().map(PackRecord::id).toList());
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
