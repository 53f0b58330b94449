package dev.ferry.core.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCacheTest {
    @TempDir
    Path tmp;

    @Test
    void aTableIsRestoredOnceAndAFailedRestoreLeavesNothing() throws IOException {
        FileCache cache = new FileCache(tmp, ".parquet", 1 << 20);
        AtomicInteger fills = new AtomicInteger();
        Path first = cache.file("aa", out -> {
            fills.incrementAndGet();
            out.write(new byte[] {1, 2, 3});
        });
        Path again = cache.file("aa", out -> fills.incrementAndGet());
        assertThat(again).isEqualTo(first);
        assertThat(fills).hasValue(1);
        assertThat(Files.readAllBytes(first)).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> cache.file("bb", out -> {
            out.write(new byte[100]);
            throw new IOException("store went away");
        })).hasMessageContaining("store went away");
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(first); // neither bb nor its partial file
        }
    }

    @Test
    void theLeastRecentlyUsedGoBeyondTheLimitButNotOnesInUse() throws IOException {
        FileCache cache = new FileCache(tmp, ".parquet", 250);
        Path old = cache.file("old", out -> out.write(new byte[100]));
        Path recent = cache.file("recent", out -> out.write(new byte[100]));
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Files.setLastModifiedTime(recent, FileTime.fromMillis(System.currentTimeMillis() - 1_800_000));
        Path fresh = cache.file("fresh", out -> out.write(new byte[100]));
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(fresh).exists();
        // over the limit again, but what was read within the last minute stays
        cache.file("recent", out -> {});
        cache.file("newest", out -> out.write(new byte[100]));
        assertThat(recent).exists();
        assertThat(fresh).exists();
    }
}
