package dev.ferry.core.maint;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.BlobIndex;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.store.Store;
import dev.ferry.core.blob.DamagedBlob;
import dev.ferry.core.blob.PackRecord;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.ManifestPaths;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.PackFormat;
import dev.ferry.core.pack.PackInfo;
import dev.ferry.core.pack.PackStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Verifies the store end to end: every pack's structure (and, by default, every blob's bytes)
 * against the catalog's index, then every bundle's manifest and every chunk a bundle needs.
 *
 * <p>What it finds damaged or missing it records as such (the copy leaves the blob index), so that the
 * next upload of the same content stores it again; the files that need it are listed until then. With
 * {@code repair} it also rebuilds what the store itself still holds: a pack whose trailing index is
 * damaged is rewritten from its intact blobs, and packs the catalog does not know (left by an
 * interrupted upload, or by a lost catalog) have their blobs indexed from their own trailing index.
 */
public final class Fsck {
    private static final int MAX_LISTED = 1000;

    /** The whole store, for the work this hands on. */
    private final Store parts;
    private final PackStore packs;
    private final Catalog catalog;
    private final BlobIndex index;
    private final BlobStore store;
    private final List<FsckReport.Problem> problems = new ArrayList<>();
    private final List<String> repaired = new ArrayList<>();
    private long problemCount;

    public Fsck(Store s) {
        this.parts = s;
        this.packs = s.packs();
        this.catalog = s.catalog();
        this.index = s.index();
        this.store = s.blobs();
    }

    public FsckReport run(boolean readData, boolean repair, Consumer<String> progress) {
        Map<String, PackInfo> onDisk = new HashMap<>();
        try {
            for (PackInfo p : packs.list()) {
                onDisk.put(p.id(), p);
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.STORAGE_FAILED, "cannot list the packs of the store: " + e.getMessage(), null, e);
        }
        List<PackRecord> known = index.listPacks();
        long blobs = 0;
        long bytes = 0;
        int checked = 0;
        for (PackRecord pack : known) {
            checked++;
            if (checked % 50 == 0) progress.accept("checked " + checked + "/" + known.size() + " packs");
            List<BlobLocation> rows = index.blobsInPack(pack.id());
            blobs += rows.size();
            if (onDisk.remove(pack.id()) == null) {
                if (rows.isEmpty()) {
                    // its blobs were recorded as damaged when a read or an upload found it gone
                    index.removePacks(List.of(pack.id()));
                    continue;
                }
                problem("missing-pack", packs.locate(pack.id()), "pack file is gone; " + rows.size()
                        + " indexed blobs are lost (recorded as damaged: the next upload of their files stores them again)");
                index.markDamaged(rows, "its pack file is missing", Instant.now());
                index.removePacks(List.of(pack.id()));
                continue;
            }
            bytes += checkPack(pack.id(), rows, readData, repair);
        }
        int orphans = onDisk.size();
        if (repair) {
            orphans -= indexOrphans(onDisk.values());
        }
        Map<Digest, DamagedBlob> damaged = new HashMap<>();
        index.damagedBlobs().forEach(d -> damaged.put(d.location().digest(), d));
        int[] bundles = {0};
        long[] files = {0};
        catalog.forEachBundle(bundle -> {
            bundles[0]++;
            files[0] += checkBundle(bundle, damaged);
        });
        catalog.forEachIngestion(i -> checkManifest("table " + i.repo() + " rows of bundle " + i.bundleId(),
                i.rowsManifest(), damaged));
        progress.accept("checking the catalog journal");
        new JournalCheck(catalog, new dev.ferry.core.catalog.StoreJournal(packs)).run(repair, (kind, subject, detail) -> {
            if (repair && kind.equals("journal-incomplete")) {
                repaired.add(subject + ": " + detail);
            } else {
                problem(kind, subject, detail);
            }
        });
        if (!problems.isEmpty() || !repaired.isEmpty()) {
            store.blobsRemoved(); // the index changed under the store's filter of stored digests
        }
        return new FsckReport(known.size(), blobs, bytes, bundles[0], files[0], orphans, problems, problemCount, repaired);
    }

    /** Returns the bytes verified. */
    private long checkPack(String packId, List<BlobLocation> rows, boolean readData, boolean repair) {
        String where = packs.locate(packId);
        Map<Digest, BlobLocation> packIndex = null;
        String indexDamage = null;
        try {
            packIndex = new HashMap<>();
            for (BlobLocation b : PackFormat.readIndex(packs, packId)) {
                packIndex.put(b.digest(), b);
            }
        } catch (IOException e) {
            packIndex = null;
            indexDamage = e.getMessage();
        }
        long verified = 0;
        int damagedHere = 0;
        List<BlobLocation> mismatched = new ArrayList<>();
        for (BlobLocation row : rows) {
            if (packIndex != null) {
                BlobLocation inPack = packIndex.get(row.digest());
                if (inPack == null || inPack.offset() != row.offset() || inPack.length() != row.length()) {
                    mismatched.add(row);
                    continue;
                }
            }
            // a pack whose own index is damaged is checked blob by blob against the catalog's index
            if (readData || index == null) {
                try {
                    store.read(row);
                    verified += row.length();
                } catch (FerryException e) {
                    if (e.code() != ErrorCode.DATA_CORRUPT) throw e;
                    damagedHere++;
                    problem("damaged-blob", row.digest().toString(), e.getMessage()
                            + " (recorded as damaged: the next upload of its file stores it again)");
                }
            }
        }
        if (!mismatched.isEmpty()) {
            // the catalog and the pack disagree: the catalog's location cannot be trusted
            index.markDamaged(mismatched, "the pack's own index does not place it where the catalog does", Instant.now());
            problem("index-mismatch", where, mismatched.size() + " blobs are not where the catalog places them (first: "
                    + mismatched.getFirst().digest() + "); recorded as damaged");
        }
        if (indexDamage != null) {
            int intact = rows.size() - damagedHere;
            if (repair) {
                int kept = new PackRewriter(parts).rewrite(packId, rows);
                repaired.add("rewrote " + where + " (its trailing index was damaged: " + indexDamage + ") as a new pack of its "
                        + kept + " intact blobs");
            } else {
                problem("damaged-pack-index", where, indexDamage + "; " + intact + " of its " + rows.size()
                        + " blobs read back intact; 'ferry fsck --repair' rewrites the pack with a new index");
            }
        }
        return verified;
    }

    /** Indexes the blobs of packs the catalog does not know, from their trailing index; returns how many. */
    private int indexOrphans(java.util.Collection<PackInfo> orphans) {
        int indexed = 0;
        for (PackInfo orphan : orphans) {
            List<BlobLocation> rows;
            try {
                rows = PackFormat.readIndex(packs, orphan.id());
            } catch (IOException e) {
                problem("damaged-pack", packs.locate(orphan.id()), "not in the catalog and its index is unreadable ("
                        + e.getMessage() + "); 'ferry gc' removes it");
                continue;
            }
            index.addPack(new PackRecord(orphan.id(), orphan.size(), rows.size(), orphan.modified()), rows, false);
            repaired.add("indexed " + packs.locate(orphan.id()) + " (" + rows.size() + " blobs the catalog did not know)");
            indexed++;
        }
        return indexed;
    }

    /** Returns the number of files checked. */
    private long checkBundle(Bundle bundle, Map<Digest, DamagedBlob> damaged) {
        return checkManifest("repo " + bundle.repo() + " bundle " + bundle.id(), bundle.manifest(), damaged);
    }

    private long checkManifest(String subject, Digest root, Map<Digest, DamagedBlob> damaged) {
        Manifest manifest;
        try {
            manifest = Manifest.open(store, root);
        } catch (FerryException e) {
            if (e.code() != ErrorCode.DATA_CORRUPT) throw e;
            problem("damaged-manifest", subject, e.getMessage());
            return 0;
        }
        long files = 0;
        for (int p = 0; p < manifest.pageCount(); p++) {
            List<FileEntry> page;
            try {
                page = manifest.page(p);
            } catch (FerryException e) {
                if (e.code() != ErrorCode.DATA_CORRUPT) throw e;
                problem("damaged-manifest", subject, e.getMessage());
                continue;
            }
            List<Digest> needed = new ArrayList<>();
            page.forEach(f -> f.chunks().forEach(c -> needed.add(c.digest())));
            Map<Digest, BlobLocation> found = index.locate(needed);
            for (FileEntry f : page) {
                files++;
                String unsafe = ManifestPaths.problem(f.path());
                if (unsafe != null) {
                    problem("unsafe-path", subject, "file '" + f.path() + "': " + unsafe + " (a download refuses it)");
                }
                for (ChunkRef c : f.chunks()) {
                    if (!found.containsKey(c.digest())) {
                        DamagedBlob d = damaged.get(c.digest());
                        problem("bundle-data-lost", subject, "file '" + f.path() + "' needs blob " + c.digest()
                                + (d == null ? ", which is not in the store" : ", found damaged (" + d.reason() + ")")
                                + "; push or upload that file again to bring it back");
                        break;
                    }
                }
            }
        }
        return files;
    }

    private void problem(String kind, String subject, String detail) {
        problemCount++;
        if (problems.size() < MAX_LISTED) {
            problems.add(new FsckReport.Problem(kind, subject, detail));
        }
    }
}
