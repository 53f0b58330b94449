package dev.ferry.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.BlobWriter;
import dev.ferry.core.blob.PackedBlobStore;
import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.pack.LocalPackStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    @TempDir
    Path dir;

    @Test
    void pathOrderIsTheOrderOfASortedDepthFirstWalk() {
        List<String> paths = new ArrayList<>(List.of("a.txt", "a/x", "a/b/c", "a-b", "b", "a", "ä", "A", "a/b.d"));
        paths.sort(PathOrder.COMPARATOR);
        assertThat(paths).containsExactly("A", "a", "a/b/c", "a/b.d", "a/x", "a-b", "a.txt", "b", "ä");
    }

    @Property(tries = 200)
    void pathOrderIsATotalOrder(@ForAll String a, @ForAll String b) {
        assertThat(Integer.signum(PathOrder.compare(a, b))).isEqualTo(-Integer.signum(PathOrder.compare(b, a)));
        assertThat(PathOrder.compare(a, a)).isZero();
    }

    @Test
    void unsafePathsAreNamed() {
        assertThat(ManifestPaths.problem("a/b.txt")).isNull();
        assertThat(ManifestPaths.problem("a\\b")).isNull();
        assertThat(ManifestPaths.problem("/etc/passwd")).isEqualTo("absolute path");
        assertThat(ManifestPaths.problem("a/../../x")).isEqualTo("'..' component");
        assertThat(ManifestPaths.problem("a//b")).isEqualTo("empty path component");
        assertThat(ManifestPaths.problem("./a")).isEqualTo("'.' component");
        assertThat(ManifestPaths.problem("")).isEqualTo("empty path");
        assertThat(ManifestPaths.problem("a\0b")).contains("NUL");
    }

    @Test
    void aLargeManifestIsWrittenInPagesAndReadBackOrFound() throws Exception {
        try (JdbcDatabase db = JdbcDatabase.sqlite(dir.resolve("c.db"));
                LocalPackStore packs = new LocalPackStore(dir.resolve("store"))) {
            BlobStore store = new PackedBlobStore(packs, db.blobIndex(), db.catalog());
            int n = 9000;
            List<FileEntry> entries = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Digest d = Digest.of(new byte[] {(byte) i, (byte) (i >> 8)});
                List<ChunkRef> chunks = i % 100 == 0 ? List.of() : List.of(new ChunkRef(d, i), new ChunkRef(d, 1));
                entries.add(new FileEntry(String.format("dir%02d/file-%06d.bin", i / 1000, i), i % 100 == 0 ? 0 : i + 1,
                        i % 3 == 0 ? 0755 : 0644, chunks));
            }
            ManifestSummary summary;
            try (BlobWriter w = store.newWriter()) {
                ManifestWriter mw = new ManifestWriter(w);
                entries.forEach(mw::add);
                summary = mw.finish();
                w.flush();
            }
            assertThat(summary.fileCount()).isEqualTo(n);
            Manifest m = Manifest.open(store, summary.root());
            assertThat(m.pageCount()).isBetween(3, 30);
            assertThat(m.metadataDigests()).hasSize(m.pageCount() + 1);
            List<FileEntry> back = new ArrayList<>();
            m.forEach(back::add);
            assertThat(back).isEqualTo(entries);
            assertThat(m.find("dir05/file-005000.bin")).contains(entries.get(5000));
            assertThat(m.find("dir05/nope")).isEmpty();
            assertThat(m.find("zzz")).isEmpty();
            assertThat(m.totalBytes()).isEqualTo(entries.stream().mapToLong(FileEntry::size).sum());
        }
    }

    @Test
    void addingAFileRewritesOnlyItsPage() throws Exception {
        try (JdbcDatabase db = JdbcDatabase.sqlite(dir.resolve("c.db"));
                LocalPackStore packs = new LocalPackStore(dir.resolve("store"))) {
            BlobStore store = new PackedBlobStore(packs, db.blobIndex(), db.catalog());
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                paths.add(String.format("data/part-%05d.csv", i));
            }
            Manifest before = write(store, paths);
            paths.add(0, "data/aaa-first.csv"); // sorts before everything: fixed-size pages would all shift
            Manifest after = write(store, paths);
            java.util.Set<Digest> old = new java.util.HashSet<>(before.metadataDigests());
            long newPages = after.metadataDigests().stream().filter(d -> !old.contains(d)).count();
            assertThat(before.pageCount()).isGreaterThan(8);
            assertThat(newPages).as("new root + the page that took the file").isLessThanOrEqualTo(3);
        }
    }

    private static Manifest write(BlobStore store, List<String> paths) {
        try (BlobWriter w = store.newWriter()) {
            ManifestWriter mw = new ManifestWriter(w);
            for (String p : paths) {
                mw.add(new FileEntry(p, 1, 0644, List.of(new ChunkRef(Digest.of(p.getBytes()), 1))));
            }
            ManifestSummary summary = mw.finish();
            w.flush();
            return Manifest.open(store, summary.root());
        }
    }

    @Test
    void theSameTreeGivesTheSameRootDigest() throws Exception {
        try (JdbcDatabase db = JdbcDatabase.sqlite(dir.resolve("c.db"));
                LocalPackStore packs = new LocalPackStore(dir.resolve("store"))) {
            BlobStore store = new PackedBlobStore(packs, db.blobIndex(), db.catalog());
            Digest[] roots = new Digest[2];
            for (int round = 0; round < 2; round++) {
                try (BlobWriter w = store.newWriter()) {
                    ManifestWriter mw = new ManifestWriter(w);
                    mw.add(new FileEntry("a", 1, 0644, List.of(new ChunkRef(Digest.of(new byte[] {1}), 1))));
                    roots[round] = mw.finish().root();
                    w.flush();
                }
            }
            assertThat(roots[0]).isEqualTo(roots[1]);
        }
    }

    @Test
    void outOfOrderOrDuplicateOrUnsafeEntriesAreRefused() {
        ManifestWriter mw = new ManifestWriter(null);
        mw.add(new FileEntry("b", 0, 0644, List.of()));
        assertThatThrownBy(() -> mw.add(new FileEntry("a", 0, 0644, List.of()))).hasMessageContaining("out of order");
        assertThatThrownBy(() -> mw.add(new FileEntry("b", 0, 0644, List.of()))).hasMessageContaining("out of order");
        assertThatThrownBy(() -> mw.add(new FileEntry("../c", 0, 0644, List.of()))).hasMessageContaining("'..'");
        assertThatThrownBy(() -> mw.add(new FileEntry("c/" + "x".repeat(5000), 0, 0644, List.of())))
                .hasMessageContaining("longer than 4096");
    }
}
