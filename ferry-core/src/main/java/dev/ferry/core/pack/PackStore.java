package dev.ferry.core.pack;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * The storage seam for pack files (the way Iceberg's FileIO is the seam for table files): the local
 * directory implementation is the default; an S3 one comes later. Implementations know nothing of
 * the pack format; they store named byte sequences that become visible only once committed.
 *
 * <p>Every implementation must pass {@code PackStoreContract}.
 */
public interface PackStore extends Closeable {

    /** Starts a new pack. Nothing is visible under {@code packId} until {@link PackOutput#commit()}. */
    PackOutput create(String packId) throws IOException;

    /**
     * Reads {@code length} bytes at {@code offset} of a committed pack. Throws
     * {@link java.nio.file.NoSuchFileException} for an unknown pack and {@link java.io.EOFException}
     * when the range runs past its end.
     */
    byte[] read(String packId, long offset, int length) throws IOException;

    /**
     * The same bytes as {@link #read}, into {@code scratch} when it is large enough (else a new
     * buffer); returns the buffer, positioned at 0 with the bytes remaining. A direct scratch buffer
     * lets a download go from pack to file without passing through the Java heap.
     */
    default java.nio.ByteBuffer read(String packId, long offset, int length, java.nio.ByteBuffer scratch)
            throws IOException {
        return java.nio.ByteBuffer.wrap(read(packId, offset, length));
    }

    /** The whole pack as a stream, for verification. */
    InputStream open(String packId) throws IOException;

    /** The size in bytes of a committed pack. */
    long size(String packId) throws IOException;

    /** Every committed pack. */
    List<PackInfo> list() throws IOException;

    /** Deletes a committed pack; returns false if it did not exist. */
    boolean delete(String packId) throws IOException;

    /** Removes partial packs abandoned (by a crash or a kill) longer ago than {@code olderThan}. */
    int removeAbandoned(Duration olderThan) throws IOException;

    // ---- the catalog journal: small named records beside the packs (docs/storage-format.md)

    /**
     * Stores one journal entry durably before returning; entries are never changed once written. A
     * name is at most 64 characters of {@code [0-9A-Za-z._-]}.
     */
    void writeJournal(String name, byte[] content) throws IOException;

    /** The names of every journal entry, sorted. */
    List<String> listJournal() throws IOException;

    /** Whether there is any journal entry (a store may answer without listing them all). */
    default boolean hasJournal() throws IOException {
        return !listJournal().isEmpty();
    }

    /** One journal entry; {@link java.nio.file.NoSuchFileException} if there is none of that name. */
    byte[] readJournal(String name) throws IOException;

    /** Refuses a journal entry name that is not one (it becomes a file or object name). */
    static void checkJournalName(String name) {
        if (!name.matches("[0-9A-Za-z._-]{1,64}") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a journal entry name: " + name);
        }
    }

    /** Where a pack lives, for messages ("/home/u/.ferry/store/packs/ab/….pack"). */
    String locate(String packId);

    /** Where the packs live, for messages and {@code ferry doctor} ("s3://bucket/prefix", a directory). */
    String describe();

    /** Checks that the store answers, with one cheap look; throws what keeps it from answering. */
    default void probe() throws IOException {
        hasJournal();
    }

    /** A pack being written. */
    interface PackOutput extends Closeable {
        /**
         * Appends the bytes from {@code data}'s position to its limit and leaves it with none remaining.
         * The buffer is not kept after the call returns: a caller may reuse it at once.
         */
        void write(java.nio.ByteBuffer data) throws IOException;

        /** Bytes written so far. */
        long size();

        /** Makes the pack durable, then visible. After this returns, a crash cannot lose it. */
        void commit() throws IOException;

        /** Discards the partial pack; closing without commit does the same. */
        @Override
        void close();
    }
}
