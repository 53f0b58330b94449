package dev.ferry.core.manifest;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** LEB128 varints and length-prefixed bytes: the primitives of the manifest and stat-cache formats. */
final class VarCodec {
    private VarCodec() {}

    static void writeLong(OutputStream out, long value) throws IOException {
        if (value < 0) {
            throw new IllegalArgumentException("negative varint " + value);
        }
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    static long readLong(InputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("truncated varint");
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("varint longer than 64 bits");
    }

    static int readInt(InputStream in) throws IOException {
        long v = readLong(in);
        if (v > Integer.MAX_VALUE) {
            throw new IOException("value out of range: " + v);
        }
        return (int) v;
    }

    static void writeBytes(OutputStream out, byte[] bytes) throws IOException {
        writeLong(out, bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(InputStream in, int max) throws IOException {
        int n = readInt(in);
        if (n > max) {
            throw new IOException("length " + n + " exceeds " + max);
        }
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("truncated bytes");
        }
        return b;
    }

    static void writeString(OutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    static String readString(InputStream in, int max) throws IOException {
        return new String(readBytes(in, max), StandardCharsets.UTF_8);
    }

    /** A growable buffer whose contents can be handed to a blob writer without a copy. */
    static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }
}
