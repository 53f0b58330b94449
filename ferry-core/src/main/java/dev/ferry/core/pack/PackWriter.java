package dev.ferry.core.pack;

import dev.ferry.core.model.Digest;
import java.io.IOException;
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
        out.write(PackFormat.HEADER, 0, PackFormat.HEADER.length);
        position = PackFormat.HEADER.length;
    }

    public String packId() {
        return packId;
    }

    public BlobLocation append(Digest digest, byte[] data, int offset, int length) throws IOException {
        out.write(data, offset, length);
        BlobLocation location = new BlobLocation(digest, packId, position, length);
        entries.add(location);
        position += length;
        return location;
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
        out.write(index, 0, index.length);
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
