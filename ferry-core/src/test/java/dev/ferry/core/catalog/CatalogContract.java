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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

    /** Releases what {@link #newCatalog} opened. */
    protected abstract void closeCatalog() throws Exception;

    @AfterEach
    void close() throws Exception {
        closeCatalog();
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

    @Test
    void aManifestIsKnownOnceABundleNamesIt() {
        catalog.createRepo("m", "", ALICE, Instant.now());
        assertThat(catalog.hasManifest(digest(23))).isFalse();
        commit("m", 23);
        assertThat(catalog.hasManifest(digest(23))).isTrue();
        assertThat(catalog.findBundleWithManifest("m", digest(23))).isPresent();
    }
}
