package dev.ferry.core.pack;

import dev.ferry.core.model.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The pack file format, version 1 (see docs/storage-format.md):
 *
 * <pre>
 *   header   "FRYPACK1"                               8 bytes
 *   blobs    raw bytes, back to back                  n bytes
 *   index    per blob: digest(32) offset(u64) len(u32) 44 bytes each
 *   trailer  index offset(u64) count(u32) crc32c(u32) "FRYINDEX"  24 bytes
 * </pre>
 *
 * A pack describes itself: the catalog's blob index can be checked against (or rebuilt from) the
 * trailing indexes alone.
 */
public final class PackFormat {
    public static final byte[] HEADER = "FRYPACK1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TRAILER_MAGIC = "FRYINDEX".getBytes(StandardCharsets.US_ASCII);
    static final int ENTRY_BYTES = Digest.BYTES + 8 + 4;
    public static final int TRAILER_BYTES = 8 + 4 + 4 + 8;

    private PackFormat() {}

    /** The index and trailer for the given entries. */
    static byte[] encodeIndex(List<BlobLocation> entries, long indexOffset) {
        ByteBuffer b = ByteBuffer.allocate(entries.size() * ENTRY_BYTES + TRAILER_BYTES);
        for (BlobLocation e : entries) {
            e.digest().writeTo(b);
            b.putLong(e.offset()).putInt(e.length());
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putLong(indexOffset).putInt(entries.size()).putInt((int) crc.getValue()).put(TRAILER_MAGIC);
        return b.array();
    }

    /** Reads and checks the trailing index of a committed pack. */
    public static List<BlobLocation> readIndex(PackStore store, String packId) throws IOException {
        long size = store.size(packId);
        if (size < HEADER.length + TRAILER_BYTES) {
            throw new PackFormatException(packId, "too short to be a pack (" + size + " bytes)");
        }
        ByteBuffer trailer = ByteBuffer.wrap(store.read(packId, size - TRAILER_BYTES, TRAILER_BYTES));
        long indexOffset = trailer.getLong();
        int count = trailer.getInt();
        int expectedCrc = trailer.getInt();
        byte[] magic = new byte[TRAILER_MAGIC.length];
        trailer.get(magic);
        if (!java.util.Arrays.equals(magic, TRAILER_MAGIC)) {
            throw new PackFormatException(packId, "trailer magic is missing (truncated or not a pack)");
        }
        long indexLength = (long) count * ENTRY_BYTES;
        if (count < 0 || indexOffset < HEADER.length || indexOffset + indexLength != size - TRAILER_BYTES) {
            throw new PackFormatException(packId, "trailer does not match the file size");
        }
        byte[] index = store.read(packId, indexOffset, (int) indexLength);
        CRC32C crc = new CRC32C();
        crc.update(index);
        if ((int) crc.getValue() != expectedCrc) {
            throw new PackFormatException(packId, "index checksum mismatch");
        }
        ByteBuffer b = ByteBuffer.wrap(index);
        List<BlobLocation> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Digest d = Digest.readFrom(b);
            long offset = b.getLong();
            int length = b.getInt();
            if (offset < HEADER.length || length < 0 || offset + length > indexOffset) {
                throw new PackFormatException(packId, "index entry " + i + " points outside the blob area");
            }
            entries.add(new BlobLocation(d, packId, offset, length));
        }
        return entries;
    }

    /** A pack whose structure (not its blob bytes) is damaged. */
    public static final class PackFormatException extends IOException {
        private final String packId;

        public PackFormatException(String packId, String reason) {
            super("pack " + packId + ": " + reason);
            this.packId = packId;
        }

        public String packId() {
            return packId;
        }
    }
}
