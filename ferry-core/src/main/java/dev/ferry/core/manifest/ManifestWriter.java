package dev.ferry.core.manifest;

import dev.ferry.core.blob.BlobWriter;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a manifest page by page as entries arrive, so a bundle of a million files never needs its
 * whole file list in memory. Pages and root go into the caller's {@link BlobWriter}; they are durable
 * after the caller flushes it.
 *
 * <p>Page boundaries are content-defined, like file chunks: a page ends after a path whose hash has
 * its low bits zero (about every {@link #AVERAGE_PAGE_ENTRIES} files), never below
 * {@link #MIN_PAGE_ENTRIES} nor above {@link #MAX_PAGE_ENTRIES}. Adding, removing or changing a file
 * then rewrites only its page (and the root), where fixed-size pages would shift every later boundary
 * and store the rest of the manifest again.
 */
public final class ManifestWriter {
    public static final int AVERAGE_PAGE_ENTRIES = 512;
    public static final int MIN_PAGE_ENTRIES = 32;
    public static final int MAX_PAGE_ENTRIES = 8192;

    private final BlobWriter sink;
    private final List<FileEntry> page = new ArrayList<>();
    private final List<ManifestFormat.PageRef> pages = new ArrayList<>();
    private String lastPath;
    private long fileCount;
    private long totalBytes;

    public ManifestWriter(BlobWriter sink) {
        this.sink = sink;
    }

    /** Adds the next file; paths must arrive strictly in {@link PathOrder}. */
    public void add(FileEntry entry) {
        checkPath(entry.path());
        if (lastPath != null && PathOrder.compare(lastPath, entry.path()) >= 0) {
            throw new IllegalArgumentException("manifest entries out of order: '" + lastPath + "' then '"
                    + entry.path() + "'");
        }
        lastPath = entry.path();
        page.add(entry);
        fileCount++;
        totalBytes += entry.size();
        if (page.size() >= MAX_PAGE_ENTRIES
                || page.size() >= MIN_PAGE_ENTRIES && (pathHash(entry.path()) & (AVERAGE_PAGE_ENTRIES - 1)) == 0) {
            flushPage();
        }
    }

    /** FNV-1a over the UTF-8 bytes with a final mix: stable across versions, part of the format. */
    static long pathHash(String path) {
        long h = 0xcbf29ce484222325L;
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }

    /** Checks that a path can be stored and later restored safely (relative, no '..', not too long). */
    public static void checkPath(String path) {
        String problem = ManifestPaths.problem(path);
        if (problem != null) {
            throw FerryException.invalid("cannot store '" + path + "': " + problem, null);
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > ManifestFormat.MAX_PATH_BYTES) {
            throw FerryException.invalid("path longer than " + ManifestFormat.MAX_PATH_BYTES + " bytes: '"
                    + path.substring(0, 80) + "...'", "shorten the directory structure");
        }
    }

    private void flushPage() {
        if (page.isEmpty()) {
            return;
        }
        try {
            byte[] blob = ManifestFormat.encodePage(page);
            Digest digest = Digest.of(blob);
            sink.put(digest, blob, 0, blob.length);
            pages.add(new ManifestFormat.PageRef(digest, page.size(), page.get(0).path(),
                    page.get(page.size() - 1).path()));
            page.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the last page and the root; returns the root's digest, which names the manifest. */
    public ManifestSummary finish() {
        flushPage();
        try {
            byte[] blob = ManifestFormat.encodeRoot(new ManifestFormat.Root(fileCount, totalBytes, pages));
            Digest root = Digest.of(blob);
            sink.put(root, blob, 0, blob.length);
            return new ManifestSummary(root, fileCount, totalBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long fileCount() {
        return fileCount;
    }
}
