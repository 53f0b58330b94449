package dev.ferry.core.model;

import java.security.MessageDigest;
import java.util.List;

/**
 * One file of a bundle: its relative path ('/' separated), size, permission bits and content chunks.
 *
 * <p>{@link #digest()} is the SHA-256 of the content for files stored as at most one chunk (every file
 * smaller than the chunker's minimum, 512 KiB), and the SHA-256 of the concatenated chunk digests for
 * larger ones; equal digests mean equal content either way.
 */
public record FileEntry(String path, long size, int mode, List<ChunkRef> chunks) {
    public FileEntry {
        chunks = List.copyOf(chunks);
    }

    public Digest digest() {
        return digestOf(chunks);
    }

    /** The digest of a file stored as these chunks (see the class comment). */
    public static Digest digestOf(List<ChunkRef> chunks) {
        if (chunks.isEmpty()) {
            return Digest.EMPTY;
        }
        if (chunks.size() == 1) {
            return chunks.get(0).digest();
        }
        MessageDigest md = Digest.sha256();
        for (ChunkRef c : chunks) {
            md.update(c.digest().toBytes());
        }
        return Digest.fromBytes(md.digest());
    }

    /** Same bytes and same mode. */
    public boolean sameContentAndMode(FileEntry other) {
        return size == other.size && mode == other.mode && chunks.equals(other.chunks);
    }

    public String modeString() {
        return String.format("%04o", mode);
    }
}
