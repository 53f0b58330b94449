package dev.ferry.core.transfer;

import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.pack.BlobFrames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * How a download groups files when every read from the store is a round trip (a remote server):
 * small files together, up to {@link #MAX_FILES} files and {@link #MAX_BYTES} of blobs, read with one
 * request; a file that is large on its own alone, its chunks (about 1 MiB each) one request each. The
 * limits stay within what one {@code POST /blobs/read} answers, and bound the memory a batch holds.
 */
final class ReadBatches {
    static final int MAX_FILES = 1024;
    static final int MAX_BYTES = 4 << 20;

    private ReadBatches() {}

    /** The files of a page in batches; one file per batch when the store reads cheaply one at a time. */
    static List<List<FileEntry>> of(List<FileEntry> page, boolean batched) {
        List<List<FileEntry>> batches = new ArrayList<>();
        if (!batched) {
            page.forEach(e -> batches.add(List.of(e)));
            return batches;
        }
        List<FileEntry> current = new ArrayList<>();
        long bytes = 0;
        for (FileEntry e : page) {
            long size = framed(e);
            if (size > MAX_BYTES) {
                batches.add(List.of(e));
                continue;
            }
            if (current.size() == MAX_FILES || bytes + size > MAX_BYTES) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(e);
            bytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** The distinct blobs of a batch's files, in order. */
    static List<Digest> digests(List<FileEntry> batch) {
        LinkedHashSet<Digest> digests = new LinkedHashSet<>();
        batch.forEach(e -> e.chunks().forEach(c -> digests.add(c.digest())));
        return List.copyOf(digests);
    }

    private static long framed(FileEntry e) {
        long bytes = 0;
        for (ChunkRef c : e.chunks()) {
            bytes += BlobFrames.frameSize(c.length());
        }
        return bytes;
    }
}
