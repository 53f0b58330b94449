package dev.ferry.core.transfer;

import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.pack.BlobFrames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * How a download groups files into the writer threads' tasks. When every read from the store is a
 * round trip (a remote server): small files together, up to {@link #MAX_FILES} files and
 * {@link #MAX_BYTES} of blobs, read with one request; a file that is large on its own alone, its chunks
 * (about 1 MiB each) one request each. The limits stay within what one {@code POST /blobs/read}
 * answers, and bound the memory a batch holds. When reads are cheap (local packs): up to
 * {@link #LOCAL_FILES} consecutive files and {@link #LOCAL_BYTES} per task, each read as it is written;
 * one task per file cost a 20k-file download 10–15% in hand-offs between threads (1.16–1.27 s
 * against 0.99–1.12 s, interleaved runs, bench/RESULTS.md), while larger tasks keep big files apart
 * so that both threads stay busy.
 */
final class ReadBatches {
    static final int MAX_FILES = 1024;
    static final int MAX_BYTES = 4 << 20;
    static final int LOCAL_FILES = 16;
    static final long LOCAL_BYTES = 8 << 20;

    private ReadBatches() {}

    /** The files of a page in tasks; {@code batched}: the store reads a batch of blobs in one round trip. */
    static List<List<FileEntry>> of(List<FileEntry> page, boolean batched) {
        return batched ? group(page, MAX_FILES, MAX_BYTES, ReadBatches::framed) : group(page, LOCAL_FILES, LOCAL_BYTES,
                FileEntry::size);
    }

    /** Consecutive files, at most {@code maxFiles} and {@code maxBytes} a group; a larger file alone. */
    private static List<List<FileEntry>> group(List<FileEntry> page, int maxFiles, long maxBytes,
            java.util.function.ToLongFunction<FileEntry> sizeOf) {
        List<List<FileEntry>> batches = new ArrayList<>();
        List<FileEntry> current = new ArrayList<>();
        long bytes = 0;
        for (FileEntry e : page) {
            long size = sizeOf.applyAsLong(e);
            if (size > maxBytes) {
                batches.add(List.of(e));
                continue;
            }
            if (current.size() == maxFiles || bytes + size > maxBytes) {
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
