package dev.ferry.core.blob;

import dev.ferry.core.model.Digest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers blobs that arrive one at a time (the frames of a client's pack upload) into batches for
 * {@link BlobWriter#putAll}, so that the store is asked once a batch which of them it has instead
 * of once a blob (a SQLite query is ~13 us: a quarter of a second of a 20k-blob upload). Not
 * thread-safe; {@link #flush} before the writer's own flush.
 */
public final class PutBatch {
    static final int MAX_PARTS = 64;
    private final BlobWriter writer;
    private final byte[] buffer;
    private final List<BlobWriter.Part> parts = new ArrayList<>();
    private int used;

    /** Batches of at most {@code bytes} bytes (a larger blob goes on its own) and {@link #MAX_PARTS} blobs. */
    public PutBatch(BlobWriter writer, int bytes) {
        this.writer = writer;
        this.buffer = new byte[bytes];
    }

    /** Adds {@code data[0, length)} under {@code digest}; the bytes are copied, {@code data} may be reused. */
    public void add(Digest digest, byte[] data, int length) {
        if (length > buffer.length) {
            flush();
            writer.put(digest, data, 0, length);
            return;
        }
        if (used + length > buffer.length || parts.size() == MAX_PARTS) {
            flush();
        }
        System.arraycopy(data, 0, buffer, used, length);
        parts.add(new BlobWriter.Part(digest, used, length));
        used += length;
    }

    /** Stores what was added since the last flush. */
    public void flush() {
        if (!parts.isEmpty()) {
            writer.putAll(ByteBuffer.wrap(buffer, 0, used), parts);
            parts.clear();
            used = 0;
        }
    }
}
