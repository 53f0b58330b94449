package dev.ferry.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.model.Ids;
import dev.ferry.core.testing.TestFiles;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link PackStore} must do. Subclasses supply a fresh, empty store. */
public abstract class PackStoreContract {
    protected PackStore store;

    protected abstract PackStore newStore() throws IOException;

    @BeforeEach
    void open() throws IOException {
        store = newStore();
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private String commit(byte[] content) throws IOException {
        String id = Ids.newId();
        try (PackStore.PackOutput out = store.create(id)) {
            out.write(ByteBuffer.wrap(content));
            assertThat(out.size()).isEqualTo(content.length);
            out.commit();
        }
        return id;
    }

    @Test
    void committedPackCanBeReadByRange() throws IOException {
        byte[] content = TestFiles.randomBytes(1, 100_000);
        String id = commit(content);
        assertThat(store.size(id)).isEqualTo(content.length);
        assertThat(store.read(id, 0, 10)).isEqualTo(java.util.Arrays.copyOfRange(content, 0, 10));
        assertThat(store.read(id, 99_990, 10)).isEqualTo(java.util.Arrays.copyOfRange(content, 99_990, 100_000));
        try (InputStream in = store.open(id)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void readIntoAScratchBufferUsesItWhenLargeEnough() throws IOException {
        byte[] content = TestFiles.randomBytes(11, 5000);
        String id = commit(content);
        ByteBuffer scratch = ByteBuffer.allocateDirect(4096);
        ByteBuffer small = store.read(id, 100, 1000, scratch);
        assertThat(small.remaining()).isEqualTo(1000);
        byte[] got = new byte[1000];
        small.get(got);
        assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(content, 100, 1100));
        ByteBuffer large = store.read(id, 0, 5000, scratch);
        assertThat(large.remaining()).isEqualTo(5000);
        assertThatThrownBy(() -> store.read(id, 4000, 2000, scratch)).isInstanceOf(EOFException.class);
    }

    @Test
    void largeWritesAndManySmallWritesKeepTheirOrder() throws IOException {
        String id = Ids.newId();
        byte[] big = TestFiles.randomBytes(2, 3 << 20);
        byte[] small = TestFiles.randomBytes(3, 1000);
        try (PackStore.PackOutput out = store.create(id)) {
            for (int i = 0; i < 50; i++) out.write(ByteBuffer.wrap(small));
            out.write(ByteBuffer.wrap(big));
            out.write(ByteBuffer.wrap(small, 10, 5));
            out.commit();
        }
        assertThat(store.size(id)).isEqualTo(50_000L + big.length + 5);
        assertThat(store.read(id, 49_000, 1000)).isEqualTo(small);
        assertThat(store.read(id, 50_000, big.length)).isEqualTo(big);
        assertThat(store.read(id, 50_000L + big.length, 5)).isEqualTo(java.util.Arrays.copyOfRange(small, 10, 15));
    }

    @Test
    void directBuffersOfEverySizeAreWrittenInOrderAndNotKept() throws IOException {
        String id = Ids.newId();
        byte[] small = TestFiles.randomBytes(4, 2000);
        byte[] large = TestFiles.randomBytes(5, 300_000);
        ByteBuffer direct = ByteBuffer.allocateDirect(400_000);
        try (PackStore.PackOutput out = store.create(id)) {
            out.write(direct.clear().put(small).flip().position(100)); // small: from its position on
            assertThat(direct.hasRemaining()).isFalse();
            out.write(direct.clear().put(large).flip());
            assertThat(direct.hasRemaining()).isFalse();
            direct.clear().put(new byte[400_000]); // the caller reuses its buffer at once
            out.write(ByteBuffer.wrap(small, 0, 10));
            out.commit();
        }
        assertThat(store.size(id)).isEqualTo(1900L + large.length + 10);
        assertThat(store.read(id, 0, 1900)).isEqualTo(java.util.Arrays.copyOfRange(small, 100, 2000));
        assertThat(store.read(id, 1900, large.length)).isEqualTo(large);
        assertThat(store.read(id, 1900L + large.length, 10)).isEqualTo(java.util.Arrays.copyOf(small, 10));
    }

    @Test
    void aPackOfTensOfMibWrittenWhileItIsFlushedKeepsEveryByte() throws IOException {
        // past several of the local store's background write-backs (one each 8 MiB)
        String id = Ids.newId();
        byte[] piece = TestFiles.randomBytes(12, 300_000);
        int pieces = 100;
        try (PackStore.PackOutput out = store.create(id)) {
            for (int i = 0; i < pieces; i++) {
                piece[0] = (byte) i;
                out.write(ByteBuffer.wrap(piece));
            }
            out.commit();
        }
        assertThat(store.size(id)).isEqualTo((long) pieces * piece.length);
        for (int i = 0; i < pieces; i += 9) {
            piece[0] = (byte) i;
            assertThat(store.read(id, (long) i * piece.length, piece.length)).isEqualTo(piece);
        }
    }

    @Test
    void packsOfEverySizeAroundBlockAndBufferEdgesKeepTheirSizeAndBytes() throws IOException {
        // around 4 KiB blocks and 1 MiB buffers: where a store that batches, aligns or pads its writes cuts them
        int mib = 1 << 20;
        int[] sizes = {0, 1, 511, 4095, 4096, 4097, mib - 1, mib, mib + 1, 2 * mib + 4096, 3 * mib + 4097};
        int[] pieces = {1, 4096, 7000, 65_536, 100_003};
        for (int i = 0; i < sizes.length; i++) {
            byte[] content = TestFiles.randomBytes(100 + i, sizes[i]);
            String id = Ids.newId();
            ByteBuffer direct = ByteBuffer.allocateDirect(100_003);
            try (PackStore.PackOutput out = store.create(id)) {
                int at = 0;
                for (int p = 0; at < content.length; p++) {
                    int n = Math.min(pieces[p % pieces.length], content.length - at);
                    out.write(p % 2 == 0 ? ByteBuffer.wrap(content, at, n) : direct.clear().put(content, at, n).flip());
                    at += n;
                }
                assertThat(out.size()).isEqualTo(content.length);
                out.commit();
            }
            assertThat(store.size(id)).as("size of a %d-byte pack", sizes[i]).isEqualTo(content.length);
            try (InputStream in = store.open(id)) {
                assertThat(in.readAllBytes()).as("bytes of a %d-byte pack", sizes[i]).isEqualTo(content);
            }
        }
    }

    @Test
    void aPackAbandonedWhileItsWritesAreUnderWayLeavesNothingAndTheStoreGoesOn() throws IOException {
        String id = Ids.newId();
        try (PackStore.PackOutput out = store.create(id)) {
            // past the local store's first background write-back (8 MiB), which may still run at close
            out.write(ByteBuffer.wrap(TestFiles.randomBytes(21, 9 << 20)));
        } // closed without commit
        assertThat(store.list()).isEmpty();
        assertThat(store.removeAbandoned(Duration.ZERO)).isZero();
        byte[] next = TestFiles.randomBytes(22, (3 << 20) + 17);
        String kept = commit(next);
        assertThat(store.read(kept, 0, next.length)).isEqualTo(next);
    }

    @Test
    void aPackIsInvisibleUntilCommittedAndGoneIfClosedWithoutCommit() throws IOException {
        String id = Ids.newId();
        try (PackStore.PackOutput out = store.create(id)) {
            out.write(ByteBuffer.wrap(new byte[10], 0, 10));
            assertThat(store.list()).extracting(PackInfo::id).doesNotContain(id);
            assertThatThrownBy(() -> store.size(id)).isInstanceOf(NoSuchFileException.class);
        }
        assertThat(store.list()).isEmpty();
        assertThat(store.removeAbandoned(Duration.ZERO)).isZero();
    }

    @Test
    void readingAnUnknownPackOrPastTheEndFails() throws IOException {
        String id = commit(new byte[100]);
        assertThatThrownBy(() -> store.read(Ids.newId(), 0, 1)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.read(id, 90, 20)).isInstanceOf(EOFException.class);
    }

    @Test
    void journalEntriesAreWrittenOnceListedInNameOrderAndReadBack() throws IOException {
        assertThat(store.listJournal()).isEmpty();
        assertThat(store.hasJournal()).isFalse();
        store.writeJournal("0002-b", "second".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        store.writeJournal("0001-a", "first".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(store.listJournal()).containsExactly("0001-a", "0002-b");
        assertThat(store.hasJournal()).isTrue();
        assertThat(new String(store.readJournal("0002-b"), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("second");
        // entries are immutable: a second write of a name fails and keeps the first
        assertThatThrownBy(() -> store.writeJournal("0001-a", new byte[1])).isInstanceOf(IOException.class);
        assertThat(store.readJournal("0001-a")).hasSize(5);
        assertThatThrownBy(() -> store.readJournal("0003-c")).isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThatThrownBy(() -> store.writeJournal("../escape", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        // journal entries are not packs
        assertThat(store.list()).isEmpty();
    }

    @Test
    void aWorkingStoreAnswersItsProbeAndSaysWhereItIs() throws IOException {
        store.probe(); // empty
        commit(new byte[] {1, 2, 3});
        store.probe();
        assertThat(store.describe()).isNotBlank();
    }

    @Test
    void listAndDelete() throws IOException {
        String a = commit(new byte[10]);
        String b = commit(new byte[20]);
        assertThat(store.list()).extracting(PackInfo::id, PackInfo::size)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(a, 10L),
                        org.assertj.core.groups.Tuple.tuple(b, 20L));
        assertThat(store.delete(a)).isTrue();
        assertThat(store.delete(a)).isFalse();
        assertThat(store.list()).extracting(PackInfo::id).containsExactly(b);
        assertThat(store.locate(b)).contains(b);
    }

    @Test
    void abandonedPartialsAreRemovedOnlyWhenOldEnough() throws Exception {
        PackStore.PackOutput crashed = store.create(Ids.newId()); // never committed nor closed: a crash
        crashed.write(ByteBuffer.wrap(new byte[10], 0, 10));
        assertThat(store.removeAbandoned(Duration.ofHours(1))).isZero();
        Thread.sleep(20);
        assertThat(store.removeAbandoned(Duration.ofMillis(5))).isEqualTo(1);
        assertThat(store.list()).isEmpty();
    }

    @Test
    void anInterruptedReaderDoesNotBreakReadsOfOthers() throws Exception {
        byte[] content = TestFiles.randomBytes(8, 4096);
        String id = commit(content);
        store.read(id, 0, 1); // warm whatever the store caches
        Thread interrupted = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                store.read(id, 0, 4096);
            } catch (IOException expected) {
                // an interrupted read may fail; it must not poison the store
            }
        });
        interrupted.start();
        interrupted.join();
        assertThat(store.read(id, 0, 4096)).isEqualTo(content);
    }

    @Test
    void manyPacksWrittenAndReadConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int seed = i;
                ids.add(pool.submit(() -> commit(TestFiles.randomBytes(seed, 10_000 + seed))));
            }
            List<Future<Boolean>> reads = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String id = ids.get(i).get();
                int seed = i;
                reads.add(pool.submit(() -> java.util.Arrays.equals(store.read(id, 0, 10_000 + seed),
                        TestFiles.randomBytes(seed, 10_000 + seed))));
            }
            for (Future<Boolean> r : reads) {
                assertThat(r.get()).isTrue();
            }
            assertThat(store.list()).hasSize(32);
        } finally {
            pool.shutdownNow();
        }
    }
}
