package dev.ferry.core.maint;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.BlobIndex;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.store.Store;
import dev.ferry.core.catalog.CatalogRecord;
import dev.ferry.core.catalog.StoreJournal;
import dev.ferry.core.pack.PackStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * Restores a lost catalog from the store alone: the journal's records are replayed in order (repos,
 * bundles with their ingestions, label moves), then every pack's trailing index is read into the blob
 * index. The catalog given must be empty; runs are not restored (they are history, not data).
 */
public final class CatalogRebuild {
    /** The whole store, for the work this hands on. */
    private final Store parts;
    private final PackStore packs;
    private final Catalog catalog;
    private final BlobIndex index;
    private final BlobStore store;

    public CatalogRebuild(Store s) {
        this.parts = s;
        this.packs = s.packs();
        this.catalog = s.catalog();
        this.index = s.index();
        this.store = s.blobs();
    }

    /** What a rebuild restored. {@code check} is the fsck that indexed the packs and verified the result. */
    public record Report(int records, int repos, long bundles, long labelMoves, long versions, FsckReport check) {}

    public Report run(Consumer<String> progress) {
        List<CatalogRecord> records = new StoreJournal(packs).readAll();
        int n = 0;
        for (CatalogRecord r : records) {
            if (++n % 500 == 0) progress.accept("replayed " + n + "/" + records.size() + " journal records");
            catalog.replay(r);
        }
        progress.accept("indexing the packs");
        FsckReport check = new Fsck(parts).run(false, true, progress);
        // what the catalog holds now (deleted repos' records were replayed and deleted again)
        long[] bundles = {0};
        long[] versions = {0};
        catalog.forEachBundle(b -> bundles[0]++);
        catalog.forEachIngestion(i -> versions[0]++);
        var repos = catalog.listRepos();
        long moves = repos.stream().mapToLong(r -> catalog.labelHistory(r.name(), null).size()).sum();
        return new Report(records.size(), repos.size(), bundles[0], moves, versions[0], check);
    }
}
