package dev.ferry.core.pack;

import dev.ferry.core.model.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Appends blobs to one pack and seals it with its index. Not thread-safe: one writer, one thread. */
public final class PackWriter implements AutoCloseable {
    private final String packId;
    private final PackStore.PackOutput out;
    private final List<BlobLocation> entries = new ArrayList<>();
    private long position;
    private boolean sealed;

    public PackWriter(PackStore store, String packId) throws IOException {
        this.packId = packId;
        this.out = store.create(packId);
        out.write(ByteBuffer.wrap(PackFormat.HEADER));
        position = PackFormat.HEADER.length;
    }

    public String packId() {
        return packId;
    }

    /** Appends one blob: the bytes from {@code data}'s position to its limit. */
    public BlobLocation append(Digest digest, ByteBuffer data) throws IOException {
        int length = data.remaining();
        out.write(data);
        BlobLocation location = new BlobLocation(digest, packId, position, length);
        entries.add(location);
        position += length;
        return location;
    }

    /**
     * Appends blobs that lie back to back in {@code run} (from its position to its limit), with one
     * write: {@code lengths[i]} bytes belong to {@code digests.get(i)}, and they add up to the run.
     * An upload's batch of small files goes to the pack file straight from the buffer it was read into.
     */
    public void appendRun(ByteBuffer run, List<Digest> digests, int[] lengths) throws IOException {
        long total = 0;
        for (int i = 0; i < digests.size(); i++) {
            total += lengths[i];
        }
        if (total != run.remaining() || lengths.length != digests.size()) {
            throw new IllegalArgumentException("a run of " + run.remaining() + " bytes holds blobs of " + total);
        }
        out.write(run);
        for (int i = 0; i < digests.size(); i++) {
            entries.add(new BlobLocation(digests.get(i), packId, position, lengths[i]));
            position += lengths[i];
        }
    }

    /** Bytes in the pack so far, header included. */
    public long size() {
        return position;
    }

    public int blobCount() {
        return entries.size();
    }

    /** Writes the index and commits the pack durably; returns its blobs. */
    public List<BlobLocation> seal() throws IOException {
        byte[] index = PackFormat.encodeIndex(entries, position);
        out.write(ByteBuffer.wrap(index));
        position += index.length;
        out.commit();
        sealed = true;
        return List.copyOf(entries);
    }

    @Override
    public void close() {
        if (!sealed) {
            out.close();
        }
    }
}
