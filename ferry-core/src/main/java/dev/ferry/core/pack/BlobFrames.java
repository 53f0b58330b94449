package dev.ferry.core.pack;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The body of a pack upload ({@code POST /api/v1/packs}): a magic line, then frames of
 * {@code digest (32 bytes) | length (4 bytes, big-endian) | bytes} until the end of the body. A client
 * sends at most {@link #MAX_BYTES} and {@link #MAX_BLOBS} per upload, so that the server can hold one
 * upload in one open pack and store all of it or, on any error, nothing.
 */
public final class BlobFrames {
    public static final byte[] MAGIC = "FERRY-BLOBS-1\n".getBytes(StandardCharsets.US_ASCII);
    /** Below the server's pack size, so one upload never seals a pack half-way. */
    public static final int MAX_BYTES = 24 << 20;
    /** Below the server's blobs-per-pack limit, for the same reason. */
    public static final int MAX_BLOBS = 4096;
    private static final int HEADER = Digest.BYTES + Integer.BYTES;

    private BlobFrames() {}

    /** Bytes one frame adds to a body. */
    public static int frameSize(int length) {
        return HEADER + length;
    }

    /**
     * Writes one frame of {@code data}'s bytes, from its position to its limit (the position is left
     * alone), into {@code target} at {@code at}; returns where the next frame goes.
     */
    public static int writeFrame(byte[] target, int at, Digest digest, java.nio.ByteBuffer data) {
        int length = data.remaining();
        putHeader(java.nio.ByteBuffer.wrap(target, at, HEADER), digest, length);
        data.get(data.position(), target, at + HEADER, length);
        return at + HEADER + length;
    }

    private static void putHeader(java.nio.ByteBuffer header, Digest digest, int length) {
        digest.writeTo(header);
        header.putInt(length);
    }

    /** Writes the magic line that starts a body. */
    public static void writeMagic(java.io.OutputStream out) throws IOException {
        out.write(MAGIC);
    }

    /** Writes one frame to a stream. */
    public static void writeFrame(java.io.OutputStream out, Digest digest, byte[] data) throws IOException {
        byte[] header = new byte[HEADER];
        putHeader(java.nio.ByteBuffer.wrap(header), digest, data.length);
        out.write(header);
        out.write(data);
    }

    /** Receives each verified frame of a body. */
    public interface Sink {
        void accept(Digest digest, byte[] data, int length);
    }

    /**
     * Reads a body, checks every frame's bytes against its digest, and hands each to {@code sink};
     * stops with INVALID_ARGUMENT at the first malformed or mismatching frame. A body cut short (the
     * client went away) is an {@link EOFException}.
     */
    public static int read(InputStream body, Sink sink) throws IOException {
        DataInputStream in = new DataInputStream(body);
        byte[] magic = new byte[MAGIC.length];
        int got = in.readNBytes(magic, 0, magic.length);
        if (got != magic.length || !Arrays.equals(magic, MAGIC)) {
            throw FerryException.invalid("a pack upload must start with " + new String(MAGIC, StandardCharsets.US_ASCII).strip(),
                    "send Content-Type application/octet-stream as docs/http-api.yaml describes");
        }
        byte[] header = new byte[HEADER];
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int blobs = 0;
        while (true) {
            int n = in.readNBytes(header, 0, HEADER);
            if (n == 0) {
                return blobs;
            }
            if (n < HEADER) {
                throw new EOFException("the body ended inside a frame header");
            }
            Digest digest = Digest.fromBytes(header, 0);
            int length = ((header[32] & 0xff) << 24) | ((header[33] & 0xff) << 16) | ((header[34] & 0xff) << 8)
                    | (header[35] & 0xff);
            total += frameSize(Math.max(0, length));
            if (length < 0 || total > MAX_BYTES || ++blobs > MAX_BLOBS) {
                throw FerryException.invalid("a pack upload may carry at most " + MAX_BLOBS + " blobs and "
                        + (MAX_BYTES >> 20) + " MiB", "split it into several uploads");
            }
            if (buffer.length < length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            in.readFully(buffer, 0, length);
            Digest actual = Digest.of(buffer, 0, length);
            if (!actual.equals(digest)) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "blob " + (blobs) + " of the upload does not match its digest: "
                        + "declared " + digest + ", bytes hash to " + actual + "; nothing of this upload was stored",
                        "the bytes were damaged on the way or the client is faulty; send the upload again");
            }
            sink.accept(digest, buffer, length);
        }
    }
}
