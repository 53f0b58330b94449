package dev.ferry.core.maint;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.BlobIndex;
import dev.ferry.core.blob.DerivedBlob;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.store.Store;
import dev.ferry.core.blob.PackRecord;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.PackInfo;
import dev.ferry.core.pack.PackStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Deletes what no bundle references. Marks every blob reachable from any bundle (manifest root, pages,
 * chunks) and what was made of a file a bundle has (its thumbnail: the records of other content are
 * forgotten first), then: packs with no live blob are forgotten by the catalog and then deleted; packs that are
 * mostly garbage are rewritten with only their live blobs (new pack durable and indexed before the old
 * one goes). Nothing younger than the grace period is touched, and if any manifest cannot be read the
 * collection stops before deleting anything: gc never guesses.
 */
public final class GarbageCollector {
    /** Repack when less than this share of a pack's bytes is live. */
    private static final double REPACK_BELOW_LIVE = 0.5;

    /** The whole store, for the work this hands on. */
    private final Store parts;
    private final PackStore packs;
    private final Catalog catalog;
    private final BlobIndex index;
    private final BlobStore store;
    private final Duration grace;

    public GarbageCollector(Store s, Duration grace) {
        this.parts = s;
        this.packs = s.packs();
        this.catalog = s.catalog();
        this.index = s.index();
        this.store = s.blobs();
        this.grace = grace;
    }

    public GcReport run(boolean dryRun, Consumer<String> progress) {
        // what was made of stored content (thumbnails) lives as long as a bundle has that content
        Map<Digest, List<DerivedBlob>> derived = new HashMap<>();
        index.forEachDerived(d -> derived.computeIfAbsent(d.source(), k -> new ArrayList<>()).add(d));
        Set<Digest> liveSources = new HashSet<>();
        Set<Digest> live = markLive(progress, derived.keySet(), liveSources);
        List<Digest> goneSources = new ArrayList<>();
        derived.forEach((source, made) -> {
            if (liveSources.contains(source)) {
                made.forEach(d -> d.derived().ifPresent(live::add));
            } else {
                goneSources.add(source);
            }
        });
        if (!dryRun) {
            index.forgetDerived(goneSources); // before their blobs can go: no record names a deleted blob
        }
        // damage nobody needs any more is not worth reporting: no bundle can miss those blobs
        List<Digest> unneeded = index.damagedBlobs().stream().map(d -> d.location().digest())
                .filter(d -> !live.contains(d)).toList();
        if (!dryRun && !unneeded.isEmpty()) {
            index.forgetDamaged(unneeded);
        }
        Instant cutoff = Instant.now().minus(grace);
        int deleted = 0, repacked = 0, kept = 0;
        long dropped = 0, freed = 0;
        Set<String> known = new HashSet<>();
        for (PackRecord pack : index.listPacks()) {
            known.add(pack.id());
            if (pack.createdAt().isAfter(cutoff)) {
                kept++;
                continue;
            }
            List<BlobLocation> rows = index.blobsInPack(pack.id());
            List<BlobLocation> liveRows = rows.stream().filter(r -> live.contains(r.digest())).toList();
            long liveBytes = liveRows.stream().mapToLong(BlobLocation::length).sum();
            if (liveRows.isEmpty()) {
                deleted++;
                dropped += rows.size();
                freed += pack.size();
                if (!dryRun) {
                    index.removePacks(List.of(pack.id()));
                    deleteFile(pack.id());
                }
            } else if (liveBytes < REPACK_BELOW_LIVE * pack.size()) {
                repacked++;
                dropped += rows.size() - liveRows.size();
                freed += pack.size() - liveBytes;
                if (!dryRun) {
                    new PackRewriter(parts).rewrite(pack.id(), liveRows);
                }
            }
        }
        // Re-read after repacking: a pack written a moment ago can carry an mtime older than the
        // cutoff (file timestamps come from a coarse clock), so only the catalog can say it is known.
        known.clear();
        index.listPacks().forEach(p -> known.add(p.id()));
        int orphans = 0;
        for (PackInfo file : listFiles()) {
            if (!known.contains(file.id()) && file.modified().isBefore(cutoff)) {
                orphans++;
                freed += file.size();
                if (!dryRun) deleteFile(file.id());
            }
        }
        int partials = 0;
        if (!dryRun) {
            try {
                partials = packs.removeAbandoned(grace);
            } catch (IOException e) {
                throw storage("cannot clean partial packs", e);
            }
        }
        if (!dryRun && dropped > 0) {
            store.blobsRemoved(); // what it remembers as stored may no longer be
        }
        return new GcReport(dryRun, live.size(), deleted, repacked, dropped, freed, orphans, partials, kept);
    }

    /** Every blob a bundle or rows table needs; notes in {@code liveSources} which of {@code sources} a bundle has. */
    private Set<Digest> markLive(Consumer<String> progress, Set<Digest> sources, Set<Digest> liveSources) {
        Set<Digest> live = new HashSet<>();
        List<Bundle> bundles = new ArrayList<>();
        catalog.forEachBundle(bundles::add);
        List<dev.ferry.core.model.Ingestion> ingestions = new ArrayList<>();
        catalog.forEachIngestion(ingestions::add);
        for (dev.ferry.core.model.Ingestion i : ingestions) {
            try {
                Manifest m = Manifest.open(store, i.rowsManifest());
                live.addAll(m.metadataDigests());
                m.forEachChunk(c -> live.add(c.digest()));
            } catch (FerryException e) {
                throw new FerryException(ErrorCode.DATA_CORRUPT, "gc stopped before deleting anything: the rows table of"
                        + " bundle " + i.bundleId() + " (table " + i.repo() + ") cannot be read: " + e.getMessage(),
                        "run 'ferry fsck' first");
            }
        }
        int n = 0;
        for (Bundle b : bundles) {
            progress.accept("marking bundle " + (++n) + "/" + bundles.size());
            try {
                Manifest m = Manifest.open(store, b.manifest());
                live.addAll(m.metadataDigests());
                m.forEach(file -> {
                    file.chunks().forEach(c -> live.add(c.digest()));
                    if (!sources.isEmpty() && sources.contains(file.digest())) {
                        liveSources.add(file.digest());
                    }
                });
            } catch (FerryException e) {
                throw new FerryException(ErrorCode.DATA_CORRUPT, "gc stopped before deleting anything: the manifest of"
                        + " bundle " + b.id() + " (repo " + b.repo() + ") cannot be read: " + e.getMessage(),
                        "run 'ferry fsck' and repair or delete that repo first");
            }
        }
        return live;
    }

    private List<PackInfo> listFiles() {
        try {
            return packs.list();
        } catch (IOException e) {
            throw storage("cannot list packs", e);
        }
    }

    private void deleteFile(String packId) {
        new PackRewriter(parts).delete(packId);
    }

    private static FerryException storage(String what, IOException e) {
        return PackRewriter.storage(what, e);
    }
}
