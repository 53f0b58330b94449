package dev.ferry.core.home;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Files made from stored data and kept on this server's disk under a content key, so they are made
 * once: rows tables as Parquet for queries (a 1M-row table is ~50 MB, restored from the packs only on
 * first use), the UI's thumbnails. A key names immutable content (a manifest or file digest), so a
 * cached file is never stale. A file is written under a temporary name and moved into place, so a
 * reader never sees half a file; files unused the longest go once the cache holds more than its limit.
 */
public final class FileCache {
    /** Writes a file's bytes. */
    @FunctionalInterface
    public interface Filler {
        void fill(OutputStream out) throws IOException;
    }

    /** A file read within this long is not evicted: a query may be about to open it. */
    private static final long IN_USE_MILLIS = 60_000;

    private final Path dir;
    private final String suffix;
    private final long maxBytes;

    /** A cache of files named {@code <key><suffix>} in {@code dir}, of at most {@code maxBytes} together. */
    public FileCache(Path dir, String suffix, long maxBytes) {
        this.dir = dir;
        this.suffix = suffix;
        this.maxBytes = maxBytes;
    }

    /** The cached file of {@code key} (a digest's hex), if it is there (its use is noted). */
    public java.util.Optional<Path> find(String key) {
        Path file = dir.resolve(key + suffix);
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        touch(file);
        return java.util.Optional.of(file);
    }

    /** The cached file of {@code key} (a digest's hex), written by {@code fill} if absent. */
    public Path file(String key, Filler fill) throws IOException {
        java.util.Optional<Path> cached = find(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        Path file = dir.resolve(key + suffix);
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, key + "-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(part)) {
                fill.fill(out);
            }
            try {
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(part);
        }
        evictBeyondLimit(file);
        return file;
    }

    /**
     * Takes {@code file} (a table just written, on the same file system ideally) as the cached file of
     * {@code key}, moving it; a cache that cannot take it leaves it where it is (the caller deletes it).
     */
    public void adopt(String key, Path file) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(key + suffix);
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                return; // another file system: a copy would cost what the first read costs anyway
            }
            evictBeyondLimit(target);
        } catch (IOException e) {
            // only a later query's speed depends on it
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // only the eviction order depends on it
        }
    }

    /** Deletes the files used longest ago until the cache fits its limit; never {@code keep}, nor one just used. */
    private void evictBeyondLimit(Path keep) throws IOException {
        record Cached(Path path, long bytes, long used) {}
        List<Cached> all = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + suffix)) {
            for (Path f : files) {
                try {
                    long bytes = Files.size(f);
                    all.add(new Cached(f, bytes, Files.getLastModifiedTime(f).toMillis()));
                    total += bytes;
                } catch (IOException gone) {
                    // evicted by another thread meanwhile
                }
            }
        }
        all.sort(Comparator.comparingLong(Cached::used));
        long now = System.currentTimeMillis();
        for (Cached c : all) {
            if (total <= maxBytes) {
                return;
            }
            if (!c.path().equals(keep) && now - c.used() > IN_USE_MILLIS && Files.deleteIfExists(c.path())) {
                total -= c.bytes();
            }
        }
    }
}
