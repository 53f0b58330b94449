package dev.ferry.core.blob;

import dev.ferry.core.model.Digest;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes blobs into new packs. {@link #put} may be called from many threads; {@link #flush} once they
 * are done. A blob is durable and findable only after the flush that follows its put returned:
 * nothing may reference it (no manifest, no bundle) before that.
 */
public interface BlobWriter extends AutoCloseable {

    /**
     * Stores the bytes from {@code data}'s position to its limit under {@code digest} (which the caller
     * computed) unless the store, or this session, already has it. Returns true if the bytes were new:
     * always false for a blob this session already took; a writer that asks its store in batches (a
     * remote one) may say true for a blob the store turns out to hold, and then does not send it again.
     * {@link #newBlobs} after {@link #flush} is the exact count.
     * The buffer's position is left alone, and it is not kept after the call returns.
     */
    boolean put(Digest digest, ByteBuffer data);

    /** {@link #put(Digest, ByteBuffer)} of {@code data[offset, offset+length)}. */
    default boolean put(Digest digest, byte[] data, int offset, int length) {
        return put(digest, ByteBuffer.wrap(data, offset, length));
    }

    /** One blob of a batch: {@code length} bytes at index {@code offset} of the batch's buffer, under {@code digest}. */
    record Part(Digest digest, int offset, int length) {}

    /**
     * Stores each part as {@link #put} would. A store that looks blobs up one at a time should
     * override this to decide which parts are new with one lookup for the batch (a lookup per small
     * file was ~6% of a 20k-file upload's CPU), and may write parts that lie back to back with one
     * write. Part offsets are absolute indexes into {@code data}, whatever its position. Returns how
     * many parts were new.
     */
    default int putAll(ByteBuffer data, List<Part> parts) {
        int added = 0;
        for (Part part : parts) {
            if (put(part.digest(), data.slice(part.offset(), part.length()))) {
                added++;
            }
        }
        return added;
    }

    /** Seals every open pack and returns once all of them are durable and indexed. */
    void flush();

    /** Bytes of new blobs written so far. */
    long newBytes();

    long newBlobs();

    int packsWritten();

    /** Discards what was not flushed (its partial packs are removed). */
    @Override
    void close();
}
