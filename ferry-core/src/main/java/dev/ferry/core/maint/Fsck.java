package dev.ferry.core.maint;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.catalog.PackRecord;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.PackFormat;
import dev.ferry.core.pack.PackInfo;
import dev.ferry.core.pack.PackStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Verifies the store end to end: every pack's structure (and, by default, every blob's bytes)
 * against the catalog's index, then every bundle's manifest and every chunk a bundle needs.
 */
public final class Fsck {
    private static final int MAX_LISTED = 1000;

    private final PackStore packs;
    private final Catalog catalog;
    private final BlobStore store;
    private final List<FsckReport.Problem> problems = new ArrayList<>();
    private long problemCount;

    public Fsck(PackStore packs, Catalog catalog, BlobStore store) {
        this.packs = packs;
        this.catalog = catalog;
        this.store = store;
    }

    public FsckReport run(boolean readData, Consumer<String> progress) {
        Set<Digest> bad = new HashSet<>();
        Map<String, PackInfo> onDisk = new HashMap<>();
        try {
            for (PackInfo p : packs.list()) {
                onDisk.put(p.id(), p);
            }
        } catch (IOException e) {
            throw new FerryException(dev.ferry.core.error.ErrorCode.STORAGE_FAILED,
                    "cannot list the packs of the store: " + e.getMessage(), null, e);
        }
        List<PackRecord> known = catalog.listPacks();
        long blobs = 0;
        long bytes = 0;
        int checked = 0;
        for (PackRecord pack : known) {
            checked++;
            if (checked % 50 == 0) progress.accept("checked " + checked + "/" + known.size() + " packs");
            List<BlobLocation> rows = catalog.blobsInPack(pack.id());
            blobs += rows.size();
            if (onDisk.remove(pack.id()) == null) {
                problem("missing-pack", packs.locate(pack.id()), "pack file is gone; " + rows.size()
                        + " indexed blobs are lost");
                rows.forEach(r -> bad.add(r.digest()));
                continue;
            }
            bytes += checkPack(pack.id(), rows, readData, bad);
        }
        int orphans = onDisk.size();
        int[] bundles = {0};
        long[] files = {0};
        catalog.forEachBundle(bundle -> {
            bundles[0]++;
            files[0] += checkBundle(bundle, bad);
        });
        catalog.forEachIngestion(i -> checkManifest("table " + i.repo() + " rows of bundle " + i.bundleId(),
                i.rowsManifest(), bad));
        return new FsckReport(known.size(), blobs, bytes, bundles[0], files[0], orphans, problems, problemCount);
    }

    /** Returns the bytes verified. */
    private long checkPack(String packId, List<BlobLocation> rows, boolean readData, Set<Digest> bad) {
        String where = packs.locate(packId);
        Map<Digest, BlobLocation> index = new HashMap<>();
        try {
            for (BlobLocation b : PackFormat.readIndex(packs, packId)) {
                index.put(b.digest(), b);
            }
        } catch (IOException e) {
            problem("damaged-pack", where, e.getMessage());
            rows.forEach(r -> bad.add(r.digest()));
            return 0;
        }
        long verified = 0;
        for (BlobLocation row : rows) {
            BlobLocation inPack = index.get(row.digest());
            if (inPack == null || inPack.offset() != row.offset() || inPack.length() != row.length()) {
                problem("index-mismatch", row.digest().toString(), "the catalog places it in " + where + " at offset "
                        + row.offset() + ", the pack's own index does not");
                bad.add(row.digest());
                continue;
            }
            if (readData) {
                try {
                    store.read(row);
                    verified += row.length();
                } catch (FerryException e) {
                    problem("damaged-blob", row.digest().toString(), e.getMessage());
                    bad.add(row.digest());
                }
            }
        }
        return verified;
    }

    /** Returns the number of files checked. */
    private long checkBundle(Bundle bundle, Set<Digest> bad) {
        return checkManifest("repo " + bundle.repo() + " bundle " + bundle.id(), bundle.manifest(), bad);
    }

    private long checkManifest(String subject, Digest root, Set<Digest> bad) {
        Manifest manifest;
        try {
            manifest = Manifest.open(store, root);
        } catch (FerryException e) {
            problem("damaged-manifest", subject, e.getMessage());
            return 0;
        }
        long files = 0;
        for (int p = 0; p < manifest.pageCount(); p++) {
            List<FileEntry> page;
            try {
                page = manifest.page(p);
            } catch (FerryException e) {
                problem("damaged-manifest", subject, e.getMessage());
                continue;
            }
            List<Digest> needed = new ArrayList<>();
            page.forEach(f -> f.chunks().forEach(c -> needed.add(c.digest())));
            Map<Digest, BlobLocation> found = catalog.locate(needed);
            for (FileEntry f : page) {
                files++;
                for (ChunkRef c : f.chunks()) {
                    if (!found.containsKey(c.digest()) || bad.contains(c.digest())) {
                        problem("bundle-data-lost", subject, "file '" + f.path() + "' needs blob " + c.digest()
                                + (found.containsKey(c.digest()) ? ", which is damaged" : ", which is not in the store"));
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
