package dev.ferry.core.maint;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.BlobIndex;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.store.Store;
import dev.ferry.core.blob.PackRecord;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Ids;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.PackStore;
import dev.ferry.core.pack.PackWriter;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Copies some blobs of a pack into a new pack, moves their index rows to it and drops the old pack
 * (gc for mostly-dead packs, fsck --repair for a pack whose own index is damaged). Packs are never
 * modified in place: the new one is durable and indexed before the old one goes, so a crash in
 * between leaves both, and the old one becomes an orphan for gc.
 */
final class PackRewriter {
    /** The whole store, for the work this hands on. */
    private final Store parts;
    private final PackStore packs;
    private final Catalog catalog;
    private final BlobIndex index;
    private final BlobStore store;

    PackRewriter(Store s) {
        this.parts = s;
        this.packs = s.packs();
        this.catalog = s.catalog();
        this.index = s.index();
        this.store = s.blobs();
    }

    /**
     * Rewrites {@code old} with the blobs of {@code keep} that still read back intact (a damaged one is
     * recorded as such by the read and left out); returns how many were copied.
     */
    int rewrite(String old, List<BlobLocation> keep) {
        String id = Ids.newId();
        List<BlobLocation> moved;
        long size;
        try (PackWriter writer = new PackWriter(packs, id)) {
            for (BlobLocation row : keep) {
                byte[] bytes;
                try {
                    bytes = store.read(row);
                } catch (FerryException damaged) {
                    if (damaged.code() != ErrorCode.DATA_CORRUPT) throw damaged;
                    continue;
                }
                writer.append(row.digest(), java.nio.ByteBuffer.wrap(bytes));
            }
            moved = writer.seal();
            size = writer.size();
        } catch (IOException e) {
            throw storage("cannot write pack " + packs.locate(id), e);
        }
        index.addPack(new PackRecord(id, size, moved.size(), Instant.now()), moved, true);
        index.removePacks(List.of(old));
        delete(old);
        return moved.size();
    }

    void delete(String packId) {
        try {
            packs.delete(packId);
        } catch (IOException e) {
            throw storage("cannot delete " + packs.locate(packId), e);
        }
    }

    static FerryException storage(String what, IOException e) {
        return new FerryException(ErrorCode.STORAGE_FAILED, what + ": " + e.getMessage(),
                "check the store's disk and permissions; running the command again is safe", e);
    }
}
