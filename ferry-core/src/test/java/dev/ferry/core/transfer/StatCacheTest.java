package dev.ferry.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.ManifestSummary;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatCacheTest {
    @TempDir
    Path dir;

    private static TreeWalker.FileItem item(String path, long inode) {
        return new TreeWalker.FileItem(path, Path.of("/nowhere", path), path.length() * 1000L, 1_700_000_000_123_456_789L + inode,
                "(dev=fe00,ino=" + inode + ")", 0644);
    }

    private static List<ChunkRef> chunks(String path, int count) {
        List<ChunkRef> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunks.add(new ChunkRef(Digest.of((path + i).getBytes()), 1000 + i));
        }
        return chunks;
    }

    // in walk order; shared prefixes of every length, names that are prefixes of the next, non-ASCII,
    // a path longer than the shared part of its neighbour by hundreds of bytes
    private static final List<String> PATHS = List.of("a", "a/b", "a/b/c", "a/bc", "a/bcd", "a/é", "a/éé", "a/日本",
            "a/日本語", "b/" + "x".repeat(700), "b/" + "x".repeat(700) + "y", "b/z", "c");

    private Path writeCache(Path file) throws IOException {
        try (StatCache.Writer w = new StatCache.Writer(file)) {
            for (int i = 0; i < PATHS.size(); i++) {
                w.append(item(PATHS.get(i), 1000 + i), chunks(PATHS.get(i), i % 3));
            }
            w.commit(new ManifestSummary(Digest.of("root".getBytes()), PATHS.size(), 12345));
        }
        return file;
    }

    @Test
    void everyRecordReadsBackWithItsStatAndChunksAndTheTrailer() throws IOException {
        Path file = writeCache(dir.resolve("c.statcache"));
        try (StatCache.Reader r = StatCache.Reader.open(file)) {
            for (int i = 0; i < PATHS.size(); i++) {
                StatCache.Entry e = r.lookup(item(PATHS.get(i), 1000 + i));
                assertThat(e).as(PATHS.get(i)).isNotNull();
                assertThat(e.path()).isEqualTo(PATHS.get(i));
                assertThat(e.fileKey()).isEqualTo("(dev=fe00,ino=" + (1000 + i) + ")");
                assertThat(e.chunks()).isEqualTo(chunks(PATHS.get(i), i % 3));
            }
        }
        try (StatCache.Reader r = StatCache.Reader.open(file)) {
            for (int i = 0; i < PATHS.size(); i++) {
                assertThat(r.nextIs(item(PATHS.get(i), 1000 + i))).isTrue();
            }
            assertThat(r.completedManifest()).isEqualTo(new ManifestSummary(Digest.of("root".getBytes()), PATHS.size(), 12345));
        }
    }

    @Test
    void aChangedStatOrAnUnknownPathIsAMiss() throws IOException {
        Path file = writeCache(dir.resolve("c.statcache"));
        try (StatCache.Reader r = StatCache.Reader.open(file)) {
            assertThat(r.lookup(item("a/b", 999))).isNull(); // another inode
            assertThat(r.lookup(item("a/bb", 1003))).isNull(); // not in the cache
            assertThat(r.lookup(item("a/é", 1005))).isNotNull(); // later entries still found
        }
    }

    @Test
    void aDamagedTruncatedOrOlderCacheOnlyMeansMisses() throws IOException {
        Path file = writeCache(dir.resolve("c.statcache"));
        byte[] whole = Files.readAllBytes(file);
        Path cut = Files.write(dir.resolve("cut.statcache"), java.util.Arrays.copyOf(whole, whole.length / 2));
        try (StatCache.Reader r = StatCache.Reader.open(cut)) {
            assertThat(r.lookup(item("a", 1000))).isNotNull();
            assertThat(r.lookup(item("c", 1000 + PATHS.size() - 1))).isNull();
            assertThat(r.completedManifest()).isNull();
        }
        byte[] garbage = whole.clone();
        for (int i = 8; i < garbage.length; i += 3) {
            garbage[i] = (byte) 0xFF; // varints that never end, lengths past any limit
        }
        try (StatCache.Reader r = StatCache.Reader.open(Files.write(dir.resolve("bad.statcache"), garbage))) {
            assertThat(r.lookup(item("c", 1000 + PATHS.size() - 1))).isNull();
            assertThat(r.completedManifest()).isNull();
        }
        byte[] older = whole.clone();
        older[3] = '2'; // "FSC2": the deflated format before this one
        try (StatCache.Reader r = StatCache.Reader.open(Files.write(dir.resolve("old.statcache"), older))) {
            assertThat(r.lookup(item("a", 1000))).isNull();
        }
        try (StatCache.Reader r = StatCache.Reader.open(dir.resolve("missing.statcache"))) {
            assertThat(r.lookup(item("a", 1000))).isNull();
        }
    }

    @Test
    void frontCodingKeepsTheCacheSmall() throws IOException {
        Path file = dir.resolve("big.statcache");
        int files = 20_000;
        try (StatCache.Writer w = new StatCache.Writer(file)) {
            for (int i = 0; i < files; i++) {
                String path = String.format("dir%03d/file%05d.bin", i / 200, i);
                w.append(item(path, 5_000_000 + i), chunks(path, 1));
            }
            w.commit(new ManifestSummary(Digest.of("root".getBytes()), files, 1));
        }
        // a digest (32), its length (4), size, mtime (16), mode (4): 56 bytes that do not shrink; the
        // path and file key cost a few bytes each instead of ~45
        assertThat(Files.size(file)).isLessThan(files * 72L);
    }
}
