package dev.ferry.core.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
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
 * What every {@link BlobStore} must do through its own interface: the packed store over each catalog
 * backend ({@link PackedBlobStoreContract}) and a remote server's store as a client sees it. Subclasses
 * supply a fresh, empty store.
 */
public abstract class BlobStoreContract {
    protected BlobStore store;

    protected abstract BlobStore newStore() throws Exception;

    /** Releases what {@link #newStore} opened (the store itself is closed here). */
    protected void closeBackend() throws Exception {}

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
        closeBackend();
    }

    protected static Digest put(BlobWriter w, byte[] data) {
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
    void theSameBytesAreStoredOnce() {
        byte[] a = TestFiles.randomBytes(3, 1000);
        try (BlobWriter w = store.newWriter()) {
            assertThat(w.put(Digest.of(a), a, 0, a.length)).isTrue();
            assertThat(w.put(Digest.of(a), a, 0, a.length)).isFalse();
            w.flush();
        }
        try (BlobWriter w = store.newWriter()) {
            w.put(Digest.of(a), a, 0, a.length); // a batching writer learns only at the flush that it is stored
            w.flush();
            assertThat(w.newBlobs()).isZero();
            assertThat(w.newBytes()).isZero();
        }
        assertThat(store.read(Digest.of(a))).isEqualTo(a);
    }

    @Test
    void aBatchStoresOnlyWhatIsNew() throws Exception {
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
            // 30 new, and the stored one if this writer asks its store only in batches
            assertThat(w.putAll(direct, parts)).isBetween(30, 31);
            // the same batch again in the same session: all claimed already
            assertThat(w.putAll(java.nio.ByteBuffer.wrap(buffer.toByteArray()), parts)).isZero();
            w.flush();
            assertThat(w.newBlobs()).isEqualTo(30);
        }
        for (byte[] blob : fresh) {
            assertThat(store.read(Digest.of(blob))).isEqualTo(blob);
        }
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
    void nothingIsVisibleWithoutFlush() {
        Digest d;
        try (BlobWriter w = store.newWriter()) {
            d = put(w, TestFiles.randomBytes(4, 100));
        }
        assertThat(store.contains(d)).isFalse();
        assertThat(store.present(List.of(d))).isEmpty();
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
        assertThat(store.present(digests)).hasSize(300);
        for (int i = 0; i < 400; i++) {
            assertThat(store.read(digests.get(i))).isEqualTo(TestFiles.randomBytes(i % 300, 3000));
        }
    }

    @Test
    void anUnknownBlobIsAnError() {
        Digest unknown = Digest.of(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> store.read(unknown)).isInstanceOf(FerryException.class);
        assertThat(store.contains(unknown)).isFalse();
        assertThat(store.locate(List.of(unknown))).isEmpty();
    }

    @Test
    void emptyBlobIsStorable() {
        try (BlobWriter w = store.newWriter()) {
            w.put(Digest.EMPTY, new byte[0], 0, 0);
            w.flush();
        }
        assertThat(store.read(Digest.EMPTY)).isEmpty();
    }

    @Test
    void aManifestIsKnownOnlyOnceABundleNamesIt() {
        Digest root = Digest.of(TestFiles.randomBytes(77, 100));
        assertThat(store.containsManifest(root)).isFalse();
    }
}
