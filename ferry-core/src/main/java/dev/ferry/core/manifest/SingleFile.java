package dev.ferry.core.manifest;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.BlobWriter;
import dev.ferry.core.chunk.ChunkReader;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Stores one stream as a manifest with one file, so that data Ferry makes itself (a rows table) is
 * chunked, deduplicated, verified, fsck'ed and garbage-collected exactly like uploaded files.
 */
public final class SingleFile {
    private SingleFile() {}

    /** Stores the stream under {@code name}; durable once this returns. Returns the manifest. */
    public static ManifestSummary store(BlobStore store, String name, InputStream in, int mode) {
        try (BlobWriter writer = store.newWriter()) {
            List<ChunkRef> chunks = new ArrayList<>();
            long size = 0;
            ChunkReader reader = new ChunkReader(in);
            ChunkReader.Chunk c;
            while ((c = reader.next()) != null) {
                Digest d = Digest.of(c.buffer(), c.offset(), c.length());
                writer.put(d, c.buffer(), c.offset(), c.length());
                chunks.add(new ChunkRef(d, c.length()));
                size += c.length();
            }
            ManifestWriter manifest = new ManifestWriter(writer);
            manifest.add(new FileEntry(name, size, mode, chunks));
            ManifestSummary summary = manifest.finish();
            writer.flush();
            return summary;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.STORAGE_FAILED, "cannot store " + name + ": " + e.getMessage(), null, e);
        }
    }

    /** The name of the manifest's one file (null for an empty manifest). */
    public static String name(BlobStore store, Digest root) {
        Iterator<FileEntry> files = Manifest.open(store, root).iterator();
        return files.hasNext() ? files.next().path() : null;
    }

    /** The content of the manifest's one file, read chunk by chunk, each chunk verified. */
    public static InputStream open(BlobStore store, Digest root) {
        Manifest manifest = Manifest.open(store, root);
        Iterator<FileEntry> files = manifest.iterator();
        if (!files.hasNext()) {
            return InputStream.nullInputStream();
        }
        return content(store, files.next());
    }

    /** A file's content, read chunk by chunk as it is consumed, each chunk verified. */
    public static InputStream content(BlobStore store, FileEntry file) {
        List<ChunkRef> chunks = file.chunks();
        return new SequenceInputStream(Collections.enumeration(new java.util.AbstractList<InputStream>() {
            @Override
            public InputStream get(int index) {
                return new java.io.ByteArrayInputStream(store.read(chunks.get(index).digest()));
            }

            @Override
            public int size() {
                return chunks.size();
            }
        }));
    }
}
