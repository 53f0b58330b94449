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
 */
public final class ManifestWriter {
    public static final int PAGE_ENTRIES = 4096;

    private final BlobWriter sink;
    private final List<FileEntry> page = new ArrayList<>(PAGE_ENTRIES);
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
        if (page.size() == PAGE_ENTRIES) {
            flushPage();
        }
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
