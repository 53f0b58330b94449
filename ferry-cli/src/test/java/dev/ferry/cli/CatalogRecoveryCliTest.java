package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.testing.TestFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog can be lost: every committed change is also journaled in the store, `ferry catalog
 * rebuild` restores repos, bundles, labels and dataset versions from it, and a missing or damaged
 * catalog stops the server with one line that names the file and the rebuild command.
 */
class CatalogRecoveryCliTest {
    @TempDir
    Path tmp;

    CliRun ferry;
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        ferry = new CliRun(home);
        Path src = TestFiles.tree(tmp.resolve("src"), 20, 2);
        ok("repo", "create", "--repo", "demo", "--description", "files");
        ok("bundle", "upload", "--path", src.toString(), "--repo", "demo", "--message", "one", "--label", "first");
        TestFiles.write(src.resolve("more.txt"), "more".getBytes());
        ok("bundle", "upload", "--path", src.toString(), "--repo", "demo", "--message", "two");
        String pets = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog")
                .images("p", 2, 32, 32).dir().toString();
        ok("dataset", "push", pets, "--table", "pets", "--category", "image_classification", "--intent", "train",
                "--label-column", "label");
        ok("dataset", "push", pets, "--table", "pets", "--category", "image_classification", "--intent", "test",
                "--label-column", "label", "--label", "eval");
        ok("repo", "delete", "--repo", "pets", "--force");
        ok("dataset", "push", pets, "--table", "pets", "--category", "image_classification", "--intent", "train",
                "--label-column", "label");
    }

    @AfterEach
    void tearDown() {
        ferry.stopServers();
    }

    private CliRun.Result ok(String... args) {
        CliRun.Result r = ferry.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private static final List<List<String>> VIEWS = List.of(List.of("repo", "list"), List.of("bundle", "list", "--repo", "demo"),
            List.of("label", "list", "--repo", "demo"), List.of("label", "history", "--repo", "demo"),
            List.of("bundle", "list", "--repo", "pets"), List.of("dataset", "versions", "pets"),
            List.of("dataset", "rows", "pets"), List.of("dataset", "list"));

    private Map<String, String> views() {
        Map<String, String> seen = new LinkedHashMap<>();
        for (List<String> v : VIEWS) {
            List<String> args = new java.util.ArrayList<>(v);
            args.addAll(List.of("-o", "json", "-v"));
            seen.put(String.join(" ", v), ok(args.toArray(String[]::new)).out());
        }
        return seen;
    }

    private void deleteCatalog() throws Exception {
        ferry.stopServers();
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(home.resolve("catalog.db" + suffix));
        }
    }

    @Test
    void aDeletedCatalogIsRebuiltFromTheStoreAndEverythingListsAsBefore() throws Exception {
        Map<String, String> before = views();
        deleteCatalog();

        CliRun.Result refused = ferry.run("repo", "list");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).startsWith("error: the catalog " + home.resolve("catalog.db") + " is missing")
                .contains("run 'ferry catalog rebuild'").doesNotContain("\tat ");

        CliRun.Result rebuilt = ok("catalog", "rebuild");
        assertThat(rebuilt.out()).contains("2 repos", "3 bundles", "1 dataset version;").contains("checks clean");
        assertThat(views()).isEqualTo(before);
        assertThat(ok("fsck").out()).contains("no problems found");
        // a healthy catalog is not replaced by accident
        ferry.stopServers();
        CliRun.Result healthy = ferry.run("catalog", "rebuild");
        assertThat(healthy.exit()).isEqualTo(6);
        assertThat(healthy.err()).contains("passes its integrity check", "--force");
    }

    @Test
    void aCatalogWithADamagedHeaderStopsWithOneLineNamingTheFileAndIsRebuilt() throws Exception {
        Map<String, String> before = views();
        ferry.stopServers();
        Files.deleteIfExists(home.resolve("catalog.db-wal"));
        Files.deleteIfExists(home.resolve("catalog.db-shm"));
        try (RandomAccessFile f = new RandomAccessFile(home.resolve("catalog.db").toFile(), "rw")) {
            f.seek(0);
            f.write("this is not SQLite!".getBytes());
        }
        CliRun.Result refused = ferry.run("bundle", "list", "--repo", "demo");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("error: the catalog " + home.resolve("catalog.db") + " is damaged")
                .contains("run 'ferry catalog rebuild'").doesNotContain("\n");

        CliRun.Result rebuilt = ok("catalog", "rebuild");
        assertThat(rebuilt.err()).contains("kept the old catalog.db as");
        try (var kept = Files.list(home)) {
            assertThat(kept.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("catalog.db.broken-"));
        }
        assertThat(views()).isEqualTo(before);
    }

    @Test
    void aCatalogWithADamagedPageStopsWritesAndIsRebuilt() throws Exception {
        Map<String, String> before = views();
        ferry.stopServers();
        // a checkpointed database, then garbage over a page in its middle
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("catalog.db"))) {
            c.createStatement().execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        long size = Files.size(home.resolve("catalog.db"));
        try (RandomAccessFile f = new RandomAccessFile(home.resolve("catalog.db").toFile(), "rw")) {
            f.seek(size / 2 / 4096 * 4096);
            f.write(TestFiles.randomBytes(7, 4096));
        }
        CliRun.Result refused = ferry.run("repo", "create", "--repo", "more", "--description", "x");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("is damaged", "ferry catalog rebuild");

        ok("catalog", "rebuild");
        assertThat(views()).isEqualTo(before);
        ok("repo", "create", "--repo", "more", "--description", "x");
    }

    @Test
    void fsckFindsWhatTheJournalLacksAndRepairJournalsItSoARebuildLosesNothing() throws Exception {
        Map<String, String> before = views();
        Path journal = home.resolve("store/journal");
        try (var entries = Files.list(journal)) {
            for (Path entry : entries.toList()) {
                Files.delete(entry); // lost by hand: the catalog alone knows
            }
        }
        CliRun.Result found = ferry.run("fsck");
        assertThat(found.exit()).as(found.toString()).isEqualTo(1);
        assertThat(found.out()).contains("journal-incomplete: repo demo:", "journal-incomplete: repo demo bundle ",
                "journal-incomplete: repo demo label first:", "'ferry fsck --repair' journals it");

        CliRun.Result repaired = ok("fsck", "--repair");
        assertThat(repaired.out()).contains("repaired: repo demo bundle ").contains("no problems found");
        assertThat(ok("fsck").out()).contains("no problems found");

        deleteCatalog();
        ok("catalog", "rebuild");
        assertThat(views()).isEqualTo(before);
    }

    @Test
    void aCatalogWithoutAJournalGetsOneWhenOpenedSoItCanBeRebuilt() throws Exception {
        Map<String, String> before = views();
        ferry.stopServers();
        try (var entries = Files.list(home.resolve("store/journal"))) {
            for (Path entry : entries.toList()) {
                Files.delete(entry); // as a catalog made before the journal existed
            }
        }
        assertThat(ok("fsck").out()).contains("no problems found"); // the server's start journaled it
        deleteCatalog();
        ok("catalog", "rebuild");
        assertThat(views()).isEqualTo(before);
    }
}
