package dev.ferry.core.chunk;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into content-defined chunks. Each {@link #next()} returns a view into an internal
 * buffer that stays valid until the following call; callers that keep the bytes must copy them.
 */
public final class ChunkReader {
    private final InputStream in;
    private final byte[] buffer;
    private int start;
    private int limit;
    private boolean eof;
    private long position;

    public ChunkReader(InputStream in) {
        this(in, new byte[2 * GearChunker.MAX_SIZE]);
    }

    /** Reuses {@code buffer} (at least twice {@link GearChunker#MAX_SIZE}) to spare allocations. */
    public ChunkReader(InputStream in, byte[] buffer) {
        if (buffer.length < 2 * GearChunker.MAX_SIZE) {
            throw new IllegalArgumentException("chunk buffer too small: " + buffer.length);
        }
        this.in = in;
        this.buffer = buffer;
    }

    /** A chunk of the stream: {@code buffer[offset, offset+length)}, at {@code position} in the stream. */
    public record Chunk(byte[] buffer, int offset, int length, long position) {}

    /** The next chunk, or null at the end of the stream. */
    public Chunk next() throws IOException {
        fill();
        int available = limit - start;
        if (available == 0) {
            return null;
        }
        int length = GearChunker.cut(buffer, start, available);
        Chunk chunk = new Chunk(buffer, start, length, position);
        start += length;
        position += length;
        return chunk;
    }

    /** Ensures at least MAX_SIZE bytes are buffered unless the stream ends first. */
    private void fill() throws IOException {
        if (eof || limit - start >= GearChunker.MAX_SIZE) {
            return;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, limit - start);
            limit -= start;
            start = 0;
        }
        while (limit < buffer.length) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                eof = true;
                return;
            }
            limit += n;
        }
    }
}
