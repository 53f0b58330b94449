package dev.ferry.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Author;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Ids;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.model.Repo;
import dev.ferry.core.pack.BlobLocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Catalog} must do, run against SQLite and PostgreSQL alike (as Project Nessie runs
 * one suite against each persistence backend). Subclasses supply a fresh, empty catalog.
 */
public abstract class CatalogContract {
    protected static final Author ALICE = new Author("Alice", "alice@example.com");
    protected Catalog catalog;

    protected abstract Catalog newCatalog() throws Exception;

    @BeforeEach
    void open() throws Exception {
        catalog = newCatalog();
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private static Digest digest(int n) {
        return Digest.of(new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16)});
    }

    private Bundle commit(String repo, int manifest, String... labels) {
        return commitWithId(Ids.newId(), repo, manifest, labels);
    }

    private Bundle commitWithId(String id, String repo, int manifest, String... labels) {
        List<String> all = new ArrayList<>(List.of("latest"));
        all.addAll(List.of(labels));
        return catalog.commit(new BundleCommit(id, repo, "m" + manifest, ALICE, Instant.now(), 3, 300,
                digest(manifest), all)).bundle();
    }

    private static void assertCode(ErrorCode code, ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(code));
    }

    @Test
    void reposAreCreatedListedFoundAndDeleted() {
        Repo r = catalog.createRepo("demo", "first", ALICE, Instant.ofEpochMilli(1_700_000_000_123L));
        catalog.createRepo("another", "", ALICE, Instant.now());
        assertThat(r.bundleCount()).isZero();
        assertThat(catalog.findRepo("demo")).get().satisfies(found -> {
            assertThat(found.description()).isEqualTo("first");
            assertThat(found.createdAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
            assertThat(found.createdBy()).isEqualTo(ALICE);
        });
        assertThat(catalog.listRepos()).extracting(Repo::name).containsExactly("another", "demo");
        commit("demo", 1, "init");
        assertThat(catalog.findRepo("demo").orElseThrow().bundleCount()).isEqualTo(1);
        catalog.deleteRepo("demo");
        assertThat(catalog.findRepo("demo")).isEmpty();
        assertThat(catalog.listRepos()).extracting(Repo::name).containsExactly("another");
        assertCode(ErrorCode.NOT_FOUND, () -> catalog.listLabels("demo"));
        // a deleted name can be used again, with no trace of the old bundles or labels
        catalog.createRepo("demo", "again", ALICE, Instant.now());
        assertThat(catalog.listBundles("demo")).isEmpty();
        assertThat(catalog.labelHistory("demo", null)).isEmpty();
    }

    @Test
    void duplicateAndUnknownReposAreErrorsWithCodes() {
        catalog.createRepo("demo", "", ALICE, Instant.now());
        assertCode(ErrorCode.CONFLICT, () -> catalog.createRepo("demo", "", ALICE, Instant.now()));
        assertCode(ErrorCode.NOT_FOUND, () -> catalog.deleteRepo("nope"));
        assertCode(ErrorCode.NOT_FOUND, () -> catalog.listBundles("nope"));
        assertCode(ErrorCode.NOT_FOUND, () -> commit("nope", 1));
        assertThat(catalog.findRepo("nope")).isEmpty();
    }

    @Test
    void bundlesListInTheOrderTheyWereCommitted() {
        catalog.createRepo("demo", "", ALICE, Instant.now());
        // made in the same millisecond: byte order puts 'T' before 'a', an en-US collation the other way
        Bundle first = commitWithId("3MReWWwlTOOKOgHrbNF8i7AmpH2", "demo", 1);
        Bundle second = commitWithId("3MReWWwlauOYArhiXjt9pad5IGm", "demo", 2);
        // made in the same millisecond with a random part that sorts lower, or on a clock that went back
        Bundle third = commitWithId("3MReWWwlTOOKOgHrbNF8i7AmpH1", "demo", 3);
        Bundle fourth = commitWithId(Ids.newId(Instant.now().minusSeconds(3600)), "demo", 4);
        assertThat(catalog.listBundles("demo")).extracting(Bundle::id)
                .containsExactly(first.id(), second.id(), third.id(), fourth.id())
                .isSorted();
        assertThat(third.id()).isGreaterThan(second.id());
        assertThat(third.parent()).isEqualTo(second.id());
        assertThat(fourth.parent()).isEqualTo(third.id());
        assertThat(catalog.findLabel("demo", "latest").orElseThrow().bundleId()).isEqualTo(fourth.id());
        assertThat(catalog.findBundle("demo", fourth.id())).get().extracting(Bundle::manifest).isEqualTo(digest(4));
    }

    @Test
    void commitRecordsTheBundleMovesLabelsAndChainsParents() {
        catalog.createRepo("demo", "", ALICE, Instant.now());
        Bundle first = commit("demo", 1, "init");
        Bundle second = commit("demo", 2);
        assertThat(first.parent()).isNull();
        assertThat(second.parent()).isEqualTo(first.id());
        assertThat(catalog.listBundles("demo")).extracting(Bundle::id).containsExactly(first.id(), second.id());
        assertThat(catalog.findBundle("demo", second.id())).get().satisfies(b -> {
            assertThat(b.manifest()).isEqualTo(digest(2));
            assertThat(b.fileCount()).isEqualTo(3);
            assertThat(b.totalBytes()).isEqualTo(300);
            assertThat(b.author()).isEqualTo(ALICE);
            assertThat(b.message()).isEqualTo("m2");
        });
        assertThat(catalog.findBundle("other", second.id())).isEmpty();
        assertThat(catalog.findLabel("demo", "latest").orElseThrow().bundleId()).isEqualTo(second.id());
        assertThat(catalog.findLabel("demo", "init").orElseThrow().bundleId()).isEqualTo(first.id());
        assertThat(catalog.labelHistory("demo", "latest")).extracting(LabelMove::fromBundle, LabelMove::toBundle)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, first.id()),
                        org.assertj.core.groups.Tuple.tuple(first.id(), second.id()));
        assertThat(catalog.labelHistory("demo", null)).hasSize(3);
    }

    @Test
    void identicalManifestReturnsTheExistingBundleAndStillMovesLabels() {
        catalog.createRepo("demo", "", ALICE, Instant.now());
        Bundle first = commit("demo", 1);
        commit("demo", 2);
        CommitResult again = catalog.commit(new BundleCommit(Ids.newId(), "demo", "same again", ALICE, Instant.now(),
                3, 300, digest(1), List.of("latest", "back")));
        assertThat(again.created()).isFalse();
        assertThat(again.bundle().id()).isEqualTo(first.id());
        assertThat(catalog.listBundles("demo")).hasSize(2);
        assertThat(catalog.findLabel("demo", "latest").orElseThrow().bundleId()).isEqualTo(first.id());
        assertThat(catalog.findLabel("demo", "back").orElseThrow().bundleId()).isEqualTo(first.id());
    }

    @Test
    void anAlwaysNewCommitMakesABundleOfAManifestThatExists() {
        catalog.createRepo("demo", "", ALICE, Instant.now());
        Bundle first = commit("demo", 1);
        CommitResult again = catalog.commit(new BundleCommit(Ids.newId(), "demo", "same files, other config", ALICE,
                Instant.now(), 3, 300, digest(1), List.of("latest"), true, null));
        assertThat(again.created()).isTrue();
        assertThat(again.bundle().id()).isNotEqualTo(first.id());
        assertThat(again.bundle().parent()).isEqualTo(first.id());
        assertThat(again.bundle().manifest()).isEqualTo(first.manifest());
        assertThat(catalog.listBundles("demo")).extracting(Bundle::id).containsExactly(first.id(), again.bundle().id());
        assertThat(catalog.findLabel("demo", "latest").orElseThrow().bundleId()).isEqualTo(again.bundle().id());
    }

    @Test
    void aCommitWithAnIngestionRecordsItForTheBundleItMadeOrFound() {
        catalog.createRepo("demo", "", ALICE, Instant.now());
        dev.ferry.core.model.Ingestion rows = new dev.ferry.core.model.Ingestion("demo", null, "image_classification",
                digest(9), 2, List.of("data_id", "label"), "{}", "{\"records\":2}", Instant.parse("2026-12-01T00:00:00Z"));
        CommitResult made = catalog.commit(new BundleCommit(Ids.newId(), "demo", "push", ALICE, Instant.now(), 3, 300,
                digest(1), List.of("latest"), false, rows));
        assertThat(catalog.findIngestion("demo", made.bundle().id()).orElseThrow().rowCount()).isEqualTo(2);
        assertThat(catalog.findBundleWithManifest("demo", digest(1))).contains(made.bundle());
        assertThat(catalog.findBundleWithManifest("demo", digest(2))).isEmpty();
        // a failed commit (unknown repo) records neither bundle nor rows
        assertCode(ErrorCode.NOT_FOUND, () -> catalog.commit(new BundleCommit(Ids.newId(), "nope", "push", ALICE,
                Instant.now(), 3, 300, digest(1), List.of("latest"), false, rows)));
        assertThat(catalog.listIngestions("demo")).hasSize(1);
    }

    @Test
    void labelCompareAndSet() {
        catalog.createRepo("demo", "", ALICE, Instant.now());
        Bundle a = commit("demo", 1);
        Bundle b = commit("demo", 2);
        LabelMove created = catalog.setLabel("demo", "prod", a.id(), LabelCondition.ABSENT, ALICE, Instant.now());
        assertThat(created.fromBundle()).isNull();
        assertCode(ErrorCode.CONFLICT, () -> catalog.setLabel("demo", "prod", b.id(), LabelCondition.ABSENT, ALICE,
                Instant.now()));
        assertCode(ErrorCode.CONFLICT, () -> catalog.setLabel("demo", "prod", b.id(), LabelCondition.pointsTo(b.id()),
                ALICE, Instant.now()));
        LabelMove moved = catalog.setLabel("demo", "prod", b.id(), LabelCondition.pointsTo(a.id()), ALICE, Instant.now());
        assertThat(moved.fromBundle()).isEqualTo(a.id());
        assertThat(catalog.findLabel("demo", "prod").orElseThrow().bundleId()).isEqualTo(b.id());
        // a move to where it already points changes nothing and records nothing
        catalog.setLabel("demo", "prod", b.id(), LabelCondition.ANY, ALICE, Instant.now());
        assertThat(catalog.labelHistory("demo", "prod")).hasSize(2);
        assertThat(catalog.listLabels("demo")).extracting(l -> l.name()).containsExactly("latest", "prod");
    }

    @Test
    void labelsOnlyNameBundlesOfTheirRepo() {
        catalog.createRepo("demo", "", ALICE, Instant.now());
        catalog.createRepo("other", "", ALICE, Instant.now());
        Bundle a = commit("other", 1);
        assertCode(ErrorCode.NOT_FOUND, () -> catalog.setLabel("demo", "x", a.id(), LabelCondition.ANY, ALICE,
                Instant.now()));
        assertCode(ErrorCode.NOT_FOUND, () -> catalog.setLabel("nope", "x", a.id(), LabelCondition.ANY, ALICE,
                Instant.now()));
        assertThat(catalog.findLabel("demo", "x")).isEmpty();
    }

    @Test
    void concurrentCommitsToOneRepoAreAllRecordedAsOneChain() throws Exception {
        catalog.createRepo("demo", "", ALICE, Instant.now());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Bundle>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                int n = i;
                futures.add(pool.submit(() -> commit("demo", 100 + n)));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Bundle> f : futures) ids.add(f.get().id());
            assertThat(ids).hasSize(24);
        } finally {
            pool.shutdownNow();
        }
        // every bundle but one has a distinct parent: the commits were serialized, none was lost
        List<Bundle> bundles = catalog.listBundles("demo");
        assertThat(bundles).hasSize(24);
        assertThat(bundles.stream().filter(b -> b.parent() == null)).hasSize(1);
        assertThat(bundles.stream().map(Bundle::parent).filter(java.util.Objects::nonNull).distinct()).hasSize(23);
        assertThat(catalog.labelHistory("demo", "latest")).hasSize(24);
    }

    @Test
    void blobIndex() {
        Digest x = digest(1);
        Digest y = digest(2);
        Digest z = digest(3);
        catalog.addPack(new PackRecord("p1", 1000, 2, Instant.now()),
                List.of(new BlobLocation(x, "p1", 8, 10), new BlobLocation(y, "p1", 18, 20)), false);
        // a duplicate keeps its first location unless relocated on purpose
        catalog.addPack(new PackRecord("p2", 500, 2, Instant.now()),
                List.of(new BlobLocation(y, "p2", 8, 20), new BlobLocation(z, "p2", 28, 5)), false);
        assertThat(catalog.hasBlob(x)).isTrue();
        assertThat(catalog.hasBlob(digest(4))).isFalse();
        Map<Digest, BlobLocation> found = catalog.locate(List.of(x, y, z, digest(4)));
        assertThat(found).containsOnlyKeys(x, y, z);
        assertThat(found.get(y).packId()).isEqualTo("p1");
        assertThat(catalog.blobsInPack("p2")).extracting(BlobLocation::digest).containsExactly(z);
        catalog.addPack(new PackRecord("p3", 100, 1, Instant.now()), List.of(new BlobLocation(y, "p3", 8, 20)), true);
        assertThat(catalog.locate(List.of(y)).get(y).packId()).isEqualTo("p3");
        catalog.removePacks(List.of("p1"));
        assertThat(catalog.hasBlob(x)).isFalse();
        assertThat(catalog.hasBlob(y)).isTrue();
        assertThat(catalog.listPacks()).extracting(PackRecord::id).containsExactly("p2", "p3");
        List<BlobLocation> all = new ArrayList<>();
        catalog.forEachBlob(all::add);
        assertThat(all).extracting(BlobLocation::digest).containsExactlyInAnyOrder(y, z);
    }

    @Test
    void aDamagedBlobLeavesTheIndexUntilItIsStoredAgain() {
        Digest x = digest(21);
        Digest y = digest(22);
        catalog.createRepo("heal", "", ALICE, Instant.now());
        catalog.commit(new BundleCommit(Ids.newId(), "heal", "m", ALICE, Instant.now(), 1, 10, digest(23), List.of("latest")));
        catalog.addPack(new PackRecord("p1", 100, 2, Instant.now()),
                List.of(new BlobLocation(x, "p1", 8, 10), new BlobLocation(y, "p1", 18, 10)), false);
        assertThat(catalog.hasManifest(digest(23))).isTrue();
        Instant found = Instant.parse("2026-12-01T10:00:00Z");
        // a stale location (not where the index has it) is not recorded
        catalog.markDamaged(List.of(new BlobLocation(x, "p1", 8, 10), new BlobLocation(y, "elsewhere", 8, 10)),
                "its bytes do not match the digest", found);
        assertThat(catalog.hasBlob(x)).isFalse();
        assertThat(catalog.hasBlob(y)).isTrue();
        assertThat(catalog.damagedBlobs()).containsExactly(
                new DamagedBlob(new BlobLocation(x, "p1", 8, 10), "its bytes do not match the digest", found));
        // while anything is damaged, no manifest vouches for its blobs (an upload must look at each)
        assertThat(catalog.hasManifest(digest(23))).isFalse();
        catalog.addPack(new PackRecord("p2", 100, 1, Instant.now()), List.of(new BlobLocation(x, "p2", 8, 10)), false);
        assertThat(catalog.locate(List.of(x)).get(x).packId()).isEqualTo("p2");
        assertThat(catalog.damagedBlobs()).isEmpty();
        assertThat(catalog.hasManifest(digest(23))).isTrue();
        catalog.markDamaged(List.of(new BlobLocation(y, "p1", 18, 10)), "its pack file is missing", found);
        catalog.forgetDamaged(List.of(y));
        assertThat(catalog.damagedBlobs()).isEmpty();
    }

    @Test
    void runLeasesAreRenewedFoundWhenTheyRunOutAndDropped() {
        dev.ferry.core.run.RunSpec spec = new dev.ferry.core.run.RunSpec.Upload("/d", "r", "m", null);
        String a = Ids.newId();
        String b = Ids.after(a, Ids.newId());
        for (String id : List.of(a, b)) {
            catalog.createRun(id, null, spec, "server@h:/x", new dev.ferry.core.run.LoggedEvent(id, 1, Instant.now(),
                    new dev.ferry.core.run.RunEvent.Received(spec)));
        }
        Instant t = Instant.parse("2026-12-07T12:00:00Z");
        catalog.renewLeases(List.of(a, b), t);
        assertThat(catalog.leasesBefore(t)).isEmpty();
        catalog.renewLeases(List.of(b), t.plusSeconds(30));
        assertThat(catalog.leasesBefore(t.plusSeconds(1))).containsExactly(new Catalog.ExpiredLease(a, "server@h:/x", t));
        catalog.endLease(a);
        assertThat(catalog.leasesBefore(t.plusSeconds(60))).extracting(Catalog.ExpiredLease::runId).containsExactly(b);
    }

    @Test
    void packsCreatedSinceATimeAndEveryDigest() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Digest x = digest(11);
        Digest y = digest(12);
        Digest z = digest(13);
        catalog.addPack(new PackRecord("p1", 100, 1, t0), List.of(new BlobLocation(x, "p1", 8, 10)), false);
        catalog.addPack(new PackRecord("p2", 100, 2, t0.plusSeconds(3600)),
                List.of(new BlobLocation(y, "p2", 8, 10), new BlobLocation(z, "p2", 18, 10)), false);
        catalog.addPack(new PackRecord("p3", 100, 0, t0.plusSeconds(7200)), List.of(), false);
        assertThat(catalog.packsCreatedSince(t0.plusSeconds(3600))).extracting(PackRecord::id).containsExactly("p2", "p3");
        assertThat(catalog.packsCreatedSince(t0.plusSeconds(3600).plusMillis(1))).extracting(PackRecord::id)
                .containsExactly("p3");
        assertThat(catalog.packsCreatedSince(t0.plusSeconds(3600)).getFirst().createdAt()).isEqualTo(t0.plusSeconds(3600));
        assertThat(catalog.packsCreatedSince(t0.plusSeconds(9000))).isEmpty();
        List<Digest> all = new ArrayList<>();
        catalog.forEachDigest(all::add);
        assertThat(all).containsExactlyInAnyOrder(x, y, z);
    }

    @Test
    void locateHandlesMoreDigestsThanOneQueryTakes() {
        List<BlobLocation> blobs = new ArrayList<>();
        for (int i = 0; i < 1300; i++) {
            blobs.add(new BlobLocation(digest(i), "p", 8 + i, 1));
        }
        catalog.addPack(new PackRecord("p", 2000, blobs.size(), Instant.now()), blobs, false);
        List<Digest> wanted = blobs.stream().map(BlobLocation::digest).toList();
        assertThat(catalog.locate(wanted)).hasSize(1300);
    }

    @Test
    void forEachBundleVisitsEveryRepo() {
        catalog.createRepo("a", "", ALICE, Instant.now());
        catalog.createRepo("b", "", ALICE, Instant.now());
        commit("a", 1);
        commit("b", 2);
        commit("b", 3);
        List<Bundle> all = new ArrayList<>();
        catalog.forEachBundle(all::add);
        assertThat(all).extracting(Bundle::repo).containsExactly("a", "b", "b");
    }

    // ---------------------------------------------------------------- runs and the event log

    private static dev.ferry.core.run.LoggedEvent event(String run, long seq, dev.ferry.core.run.RunEvent e) {
        return new dev.ferry.core.run.LoggedEvent(run, seq, Instant.ofEpochMilli(1_700_000_000_000L + seq), e);
    }

    @Test
    void runsFoldTheirStateFromTheirEventsAndKeysAreUnique() {
        var spec = new dev.ferry.core.run.RunSpec.Upload("/data", "demo", "m", null);
        String id = Ids.newId(Instant.now().minusSeconds(5));
        catalog.createRun(id, "key-1", spec, "process@host:1:2", event(id, 1, new dev.ferry.core.run.RunEvent.Received(spec)));
        catalog.appendEvent(event(id, 2, new dev.ferry.core.run.RunEvent.StateChanged(dev.ferry.core.run.RunState.PLANNING, null)));
        catalog.appendEvent(event(id, 3, new dev.ferry.core.run.RunEvent.Planned("demo", "/data")));
        catalog.appendEvent(event(id, 4, new dev.ferry.core.run.RunEvent.Progress(dev.ferry.core.run.RunState.STAGING,
                1, 2, 10, 20, 0, 0)));
        var run = catalog.findRun(id).orElseThrow();
        assertThat(run.state()).isEqualTo(dev.ferry.core.run.RunState.PLANNING);
        assertThat(run.target()).isEqualTo("demo");
        assertThat(run.lastSeq()).isEqualTo(4);
        assertThat(run.spec()).isEqualTo(spec);
        assertThat(catalog.unfinishedRuns()).containsExactly(new Catalog.UnfinishedRun(run, "process@host:1:2"));

        var result = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("bundle", "b");
        catalog.appendEvent(event(id, 5, new dev.ferry.core.run.RunEvent.Completed(result)));
        run = catalog.findRunByKey("key-1").orElseThrow();
        assertThat(run.state()).isEqualTo(dev.ferry.core.run.RunState.COMPLETED);
        assertThat(run.result()).isEqualTo(result);
        assertThat(catalog.unfinishedRuns()).isEmpty();
        assertThat(catalog.events(id, 2, 100)).extracting(dev.ferry.core.run.LoggedEvent::seq).containsExactly(3L, 4L, 5L);
        assertThat(catalog.events(id, 0, 100).get(3).event()).isInstanceOf(dev.ferry.core.run.RunEvent.Progress.class);

        String other = Ids.newId();
        assertCode(ErrorCode.CONFLICT, () -> catalog.createRun(other, "key-1", spec, null,
                event(other, 1, new dev.ferry.core.run.RunEvent.Received(spec))));
        assertThat(catalog.findRun(other)).isEmpty();
        // a sequence number is used once
        assertThatThrownBy(() -> catalog.appendEvent(event(id, 5, new dev.ferry.core.run.RunEvent.Log("info", "x"))))
                .isInstanceOf(FerryException.class);
        catalog.createRun(other, null, spec, null, event(other, 1, new dev.ferry.core.run.RunEvent.Received(spec)));
        assertThat(catalog.listRuns(10)).extracting(dev.ferry.core.run.Run::id).containsExactly(id, other);
        // a run recorded without an owner (as before owners were recorded) is unfinished with none
        assertThat(catalog.unfinishedRuns()).extracting(u -> u.run().id(), Catalog.UnfinishedRun::owner)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(other, null));
        assertThat(catalog.listRuns(1)).extracting(dev.ferry.core.run.Run::id).containsExactly(other);
    }
}
