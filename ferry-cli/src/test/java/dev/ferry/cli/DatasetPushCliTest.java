package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetPushCliTest {
    @TempDir
    Path tmp;

    CliRun ferry;
    String dir;
    static final String[] FLAGS = {"--table", "pets", "--category", "image_classification", "--intent", "train",
        "--label-column", "label"};

    @BeforeEach
    void setUp() {
        ferry = new CliRun(tmp.resolve("home"));
        dir = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog", "p2.jpg,dog")
                .images("p", 3, 32, 32).dir().toString();
    }

    private CliRun.Result push(String... extra) {
        String[] args = new String[3 + FLAGS.length + extra.length];
        args[0] = "dataset";
        args[1] = "push";
        args[2] = dir;
        System.arraycopy(FLAGS, 0, args, 3, FLAGS.length);
        System.arraycopy(extra, 0, args, 3 + FLAGS.length, extra.length);
        return ferry.run(args);
    }

    /**
     * The acceptance of the canonical cats/dogs sample: 6 JPEGs of 256x256 named .jpeg and a labels.csv
     * of 576 rows repeating them (288 per class, no trailing newline), pushed with only the four flags.
     */
    @Test
    void theCanonicalCatsDogsSampleIngests576RecordsAndAgainStoresNothing() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("cats-dogs"));
        StringBuilder csv = new StringBuilder("filename,label");
        List<String> names = List.of("cat1", "cat2", "cat3", "dog1", "dog2", "dog3");
        for (int i = 0; i < names.size(); i++) {
            d.bytes("images/" + names.get(i) + ".jpeg", DatasetBuilder.jpeg(256, 256, i + 1));
        }
        for (int r = 0; r < 96; r++) {
            for (String n : names) csv.append('\n').append(n).append(".jpeg,").append(n, 0, 3);
        }
        d.file("labels.csv", csv.toString());
        String[] push = {"dataset", "push", d.dir().toString(), "--table", "cats_dogs_train", "--category",
            "image_classification", "--intent", "train", "--label-column", "label"};
        CliRun.Result first = ferry.run(push);
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.out()).contains("records   576 total · 576 inserted · 0 skipped · 0 failed").contains("(new)");
        assertThat(first.err()).contains("note: 6 files are named by several rows (576 rows in all): each row is a record");
        String version = ferry.run("-o", "json", "dataset", "show", "cats_dogs_train").json().path("version").asText();
        CliRun.Result export = ferry.run("dataset", "export", "cats_dogs_train", "--format", "csv");
        assertThat(export.outLines()).hasSize(577);
        assertThat(export.outLines().stream().skip(1).map(l -> l.split(",")[0]).distinct().count()).isEqualTo(576);
        CliRun.Result stats = ferry.run("dataset", "stats", "cats_dogs_train");
        assertThat(stats.exit()).as(stats.toString()).isZero();
        assertThat(stats.out()).contains("cats_dogs_train version " + version + ": 576 rows", "COLUMN", "data_id",
                "labels: ");
        var json = ferry.run("-o", "json", "dataset", "stats", "cats_dogs_train", "--version", version).json();
        assertThat(json.path("rows").asLong()).isEqualTo(576);
        assertThat(json.path("labels").findValuesAsText("label")).containsExactlyInAnyOrder("cat", "dog");
        long labelled = 0;
        for (var l : json.path("labels")) {
            labelled += l.path("rows").asLong();
        }
        assertThat(labelled).isEqualTo(576);
        assertThat(ferry.run("dataset", "stats", "nope").exit()).isEqualTo(2);
        assertThat(ferry.run("dataset", "stats", "cats_dogs_train", "--version", "no-such-label").exit()).isEqualTo(2);
        CliRun.Result again = ferry.run(push);
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("0 inserted · 576 skipped").contains(version).contains("unchanged: already ingested");
        assertThat(ferry.run("dataset", "versions", "cats_dogs_train").outLines()).hasSize(2);
    }

    @Test
    void diffRowsListsTheRecordsWhoseLabelChanged() throws Exception {
        assertThat(push("--label", "v1").exit()).isZero();
        Files.writeString(Path.of(dir, "labels.csv"), "filename,label\np0.jpg,dog\np1.jpg,dog\np2.jpg,cat\n");
        assertThat(push().exit()).isZero();
        CliRun.Result diff = ferry.run("dataset", "diff", "pets", "v1", "latest", "--rows");
        assertThat(diff.exit()).as(diff.toString()).isZero();
        assertThat(diff.out()).contains("added 0 · removed 0 · changed 2 · unchanged 1", "labels: cat → dog 1 · dog → cat 1",
                "KIND", "changed");
        assertThat(diff.outLines()).filteredOn(l -> l.startsWith("changed")).hasSize(2);
        CliRun.Result paged = ferry.run("dataset", "diff", "pets", "v1", "latest", "--rows", "--limit", "1");
        assertThat(paged.err()).contains("listed 1 of 2 changes; --offset 1 lists the next");
        JsonNode json = ferry.run("-o", "json", "dataset", "diff", "pets", "v1", "latest", "--rows", "--kind", "changed").json();
        assertThat(json.path("changed").asLong()).isEqualTo(2);
        assertThat(json.path("changes").findValuesAsText("kind")).containsExactly("changed", "changed");
        assertThat(json.path("changes").get(0).path("before").path("filename").asText()).isEqualTo("p0.jpg");
        // the file diff still answers without --rows; record options without it are a mistake
        assertThat(ferry.run("dataset", "diff", "pets", "v1", "latest").out()).contains("M labels.csv");
        CliRun.Result wrong = ferry.run("dataset", "diff", "pets", "v1", "latest", "--kind", "added");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("add --rows");
        assertThat(ferry.run("dataset", "diff", "pets", "v1", "latest", "--rows", "--kind", "moved").err())
                .contains("use added, removed or changed");
    }

    @Test
    void uiPrintsAOneTimeLoginLinkToTheLocalServersPages() throws Exception {
        assertThat(push().exit()).isZero();
        CliRun.Result ui = ferry.run("ui");
        assertThat(ui.exit()).as(ui.toString()).isZero();
        String url = ui.out().trim();
        assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/ui/login\\?ticket=[A-Za-z0-9_-]{43}");
        assertThat(ui.err()).contains("within 2 minutes", "once");
        var http = java.net.http.HttpClient.newHttpClient(); // redirects are not followed: the cookie is read here
        var login = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String root = url.substring(0, url.indexOf("/ui/"));
        var datasets = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(root + "/ui/")).header("Cookie", cookie)
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(datasets.statusCode()).isEqualTo(200);
        assertThat(datasets.body()).contains("/ui/datasets/pets");
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).as("a link is good once").isEqualTo(401);
        JsonNode json = ferry.run("-o", "json", "ui").json();
        assertThat(json.path("url").asText()).startsWith(root + "/ui/login?ticket=");
        assertThat(json.path("expiresAt").asText()).isNotEmpty();
        assertThat(ferry.run("ui", "--help").out()).contains("one-time login link");
    }

    @Test
    void theTraceblocCliNamesWork() {
        CliRun.Result validated = ferry.run("data", "validate", dir, "--name", "pets", "--task", "image_classification",
                "--label-column", "label");
        assertThat(validated.exit()).as(validated.toString()).isZero();
        CliRun.Result ingested = ferry.run("data", "ingest", dir, "--name", "pets", "--task", "image_classification",
                "--label-column", "label");
        assertThat(ingested.exit()).as(ingested.toString()).isZero();
        assertThat(ingested.out()).contains("pets · image_classification · train").contains("3 inserted");
        assertThat(ferry.run("data", "list").out()).contains("pets");
        assertThat(ferry.run("data", "ingest", "--help").out()).contains("Usage: ferry data ingest");
        assertThat(ferry.run("data", "delete", "pets", "--force").exit()).isZero();
        assertThat(ferry.run("data", "list", "-o", "json").json()).isEmpty();
    }

    @Test
    void pushPrintsTheSummaryAndRowsComeBack() throws Exception {
        CliRun.Result r = push("--label", "v1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("pets · image_classification · train")
                .contains("records   3 total · 3 inserted · 0 skipped · 0 failed").contains("(new)").contains("100.0 %");
        CliRun.Result again = ferry.run("push", dir, "--table", "pets", "--category", "image_classification", "--intent",
                "train", "--label-column", "label");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("0 inserted · 3 skipped").contains("unchanged: already ingested");

        assertThat(ferry.run("dataset", "rows", "pets").outLines()).hasSize(4).first().asString()
                .startsWith("data_id").contains("filename");
        assertThat(ferry.run("dataset", "rows", "pets", "-o", "json", "--limit", "2").outLines()).hasSize(2)
                .allMatch(l -> l.startsWith("{\"data_id\":"));
        assertThat(ferry.run("dataset", "rows", "pets", "-o", "json", "--columns", "label,filename", "--offset", "2")
                .outLines()).singleElement().asString().startsWith("{\"label\":").contains("\"filename\":");
        CliRun.Result page = ferry.run("dataset", "rows", "pets", "--columns", "label", "--offset", "1", "--limit", "1");
        assertThat(page.outLines()).hasSize(2).first().asString().startsWith("label");
        assertThat(page.err()).contains("1 of 3 rows of pets", "from row 1");
        CliRun.Result filtered = ferry.run("dataset", "rows", "pets", "--where", "label = 'dog'", "--columns", "label");
        assertThat(filtered.outLines()).containsExactly("label", "dog", "dog");
        assertThat(filtered.err()).contains("2 of 2 rows of pets that the filter keeps");
        CliRun.Result badFilter = ferry.run("dataset", "rows", "pets", "--where", "getenv('HOME') = label");
        assertThat(badFilter.exit()).isEqualTo(2);
        assertThat(badFilter.err()).contains("which a filter may not", "e.g. label = 'cat'");
        CliRun.Result noColumn = ferry.run("dataset", "rows", "pets", "--columns", "nope");
        assertThat(noColumn.exit()).isEqualTo(2);
        assertThat(noColumn.err()).contains("has no column 'nope'", "its columns: data_id");
        assertThat(ferry.run("dataset", "export", "pets", "--format", "csv").outLines()).hasSize(4)
                .first().isEqualTo("data_id,filename,extension,label,data_intent");
        Path parquet = tmp.resolve("pets.parquet");
        assertThat(ferry.run("dataset", "export", "pets", "--format", "parquet", "--to", parquet.toString()).exit()).isZero();
        assertThat(Files.readAllBytes(parquet)).startsWith("PAR1".getBytes());
        // the stored table itself: DuckDB's ZSTD Parquet, every row, to stdout as well
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement();
                var read = s.executeQuery("SELECT (SELECT count(*) FROM read_parquet('" + parquet + "')),"
                        + " (SELECT min(compression) FROM parquet_metadata('" + parquet + "'))")) {
            read.next();
            assertThat(read.getLong(1)).isEqualTo(3);
            assertThat(read.getString(2)).isEqualToIgnoringCase("ZSTD");
        }
        assertThat(ferry.run("dataset", "export", "pets", "--format", "parquet").out()).startsWith("PAR1");
        assertThat(ferry.run("dataset", "export", "pets", "--format", "xml").exit()).isEqualTo(2);
        assertThat(ferry.run("dataset", "versions", "pets").outLines()).hasSize(2);
        assertThat(ferry.run("dataset", "rows", "nope").exit()).isEqualTo(2);
    }

    @Test
    void aDatasetThatWouldNotIngestIsRefusedWithExitTwoAndNothingStored() throws Exception {
        Files.writeString(Path.of(dir, "labels.csv"), "filename,label\np0.jpg,cat\nmissing.jpg,dog\n");
        CliRun.Result r = push();
        assertThat(r.exit()).isEqualTo(2);
        // why a push stopped goes to stderr with its error line: stdout stays for data
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("error: rows whose file does not exist in images/: row 2 (line 3) \"missing.jpg\"")
                .contains("nothing was uploaded");
        assertThat(ferry.run("repo", "list", "-o", "json").json()).isEmpty();
        CliRun.Result dry = push("--dry-run");
        assertThat(dry.exit()).isEqualTo(2);
        CliRun.Result badConfig = ferry.run("dataset", "push", dir, "--table", "pets", "--category", "cats");
        assertThat(badConfig.exit()).isEqualTo(2);
        assertThat(badConfig.err()).contains("--category: \"cats\" is not one of");
    }

    @Test
    void dryRunChecksEverythingAndStoresNothing() {
        CliRun.Result r = push("--dry-run");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains(": ok — 3 records, 3 files, 2 labels (cat, dog)");
        assertThat(tmp.resolve("home")).doesNotExist();
    }

    @Test
    void jsonOutputIsEventLinesThenTheSummary() throws Exception {
        CliRun.Result r = push("-o", "json");
        for (String line : r.outLines()) {
            assertThat(CliContext.mapper().readTree(line).isObject()).as(line).isTrue();
        }
        assertThat(CliContext.mapper().readTree(r.outLines().get(0)).at("/event/type").asText()).isEqualTo("received");
        JsonNode doc = CliContext.mapper().readTree(r.lastLine());
        assertThat(doc.get("type").asText()).isEqualTo("summary");
        assertThat(doc.get("table").asText()).isEqualTo("pets");
        assertThat(doc.at("/summary/inserted").asInt()).isEqualTo(3);
        assertThat(doc.at("/summary/successRate").asDouble()).isEqualTo(1.0);
        assertThat(doc.get("exitCode").asInt()).isZero();
    }

    @Test
    void eightPushesAtOnceOnFourTablesAllFinishAndRunsListShowsThem() throws Exception {
        assertThat(ferry.run("server", "start").exit()).isZero();
        java.util.List<java.util.concurrent.Future<CliRun.Result>> pushes = new java.util.ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 8; i++) {
                String table = "t" + (i % 4);
                String folder = new DatasetBuilder(tmp.resolve("ds" + i)).csv("filename,label", "x" + i + "0.jpg,cat",
                        "y" + i + "0.jpg,dog").images("x" + i, 1, 32, 32).images("y" + i, 1, 32, 32).dir().toString();
                pushes.add(pool.submit(() -> ferry.run("dataset", "push", folder, "--table", table, "--category",
                        "image_classification", "--intent", "train", "--label-column", "label", "--message", folder)));
            }
            for (var f : pushes) {
                CliRun.Result r = f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.exit()).as(r.toString()).isZero();
                assertThat(r.out()).contains("records   2 total · 2 inserted");
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode runs = ferry.run("runs", "list", "-o", "json").json();
        assertThat(runs).hasSize(8);
        runs.forEach(run -> assertThat(run.get("state").asText()).isEqualTo("completed"));
        JsonNode datasets = ferry.run("dataset", "list", "-o", "json").json();
        assertThat(datasets).hasSize(4);
        datasets.forEach(d -> assertThat(d.get("versions").asInt()).isEqualTo(2));
    }

    @Test
    void detachPrintsTheRunIdAndRunsWatchShowsTheSameSummary() throws Exception {
        CliRun.Result detached = push("--detach");
        assertThat(detached.exit()).as(detached.toString()).isZero();
        String runId = detached.lastLine().strip();
        assertThat(runId).hasSize(27);
        assertThat(detached.err()).contains("ferry runs watch " + runId);
        CliRun.Result watched = ferry.run("runs", "watch", runId);
        assertThat(watched.exit()).as(watched.toString()).isZero();
        assertThat(watched.out()).contains("pets · image_classification · train")
                .contains("records   3 total · 3 inserted · 0 skipped · 0 failed");
        CliRun.Result shown = ferry.run("runs", "show", runId, "-o", "json");
        assertThat(shown.json().get("state").asText()).isEqualTo("completed");
        assertThat(ferry.run("runs", "logs", runId).out()).contains("completed");
    }

    @Test
    void aPushToARemoteServerUploadsItsDataAndPullBringsItBack() throws Exception {
        String token = dev.ferry.server.FerryServer.newToken();
        var remote = new dev.ferry.server.FerryServer(dev.ferry.core.api.LocalFerry.open(
                new dev.ferry.core.home.FerryHome(tmp.resolve("remote-home"))), token, false);
        try {
            int port = remote.start("127.0.0.1", 0);
            CliRun client = new CliRun(tmp.resolve("client-home")).env("FERRY_SERVER", "http://127.0.0.1:" + port)
                    .env("FERRY_TOKEN", token);
            String[] args = {"dataset", "push", dir, "--table", "pets", "--category", "image_classification", "--intent",
                "train", "--label-column", "label"};
            CliRun.Result r = client.run(args);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("records   3 total · 3 inserted");
            assertThat(remote.ferry().getIngestion("pets", null).rowCount()).isEqualTo(3);
            // no local server was started for it
            assertThat(tmp.resolve("client-home").resolve("server.json")).doesNotExist();

            CliRun.Result again = client.run(args);
            assertThat(again.exit()).isZero();
            assertThat(again.out()).contains("unchanged: already ingested");

            Path out = tmp.resolve("pulled");
            CliRun.Result pull = client.run("dataset", "pull", "pets", "--destination", out.toString());
            assertThat(pull.exit()).as(pull.toString()).isZero();
            dev.ferry.core.testing.TestFiles.assertSameTree(Path.of(dir), out);

            CliRun.Result wrongToken = new CliRun(tmp.resolve("client-home")).env("FERRY_SERVER",
                    "http://127.0.0.1:" + port).env("FERRY_TOKEN", "nope").run(args);
            assertThat(wrongToken.exit()).isEqualTo(5);
        } finally {
            remote.close();
            remote.ferry().close();
        }
    }

    @Test
    void objectDetectionAndSegmentationPushEndToEndWithTheirSidecarsInTheRows() throws Exception {
        String boxes = new DatasetBuilder(tmp.resolve("boxes")).csv("filename", "c0.jpg", "c1.jpg").images("c", 2, 40, 32)
                .voc("c0.xml", 40, 32, "car 1 1 20 20", "person 10 5 40 30").voc("c1.xml", 40, 32, "car 0 0 5 5").dir().toString();
        CliRun.Result pushed = ferry.run("dataset", "push", boxes, "--table", "street", "--category", "object_detection",
                "--intent", "train", "--label-column", "label");
        assertThat(pushed.exit()).as(pushed.toString()).isZero();
        assertThat(pushed.out()).contains("street · object_detection · train").contains("records   2 total · 2 inserted")
                .contains("labels    2 (car, person)");
        JsonNode first = CliContext.mapper().readTree(ferry.run("-o", "json", "dataset", "rows", "street").outLines().get(0));
        assertThat(first.get("filename").asText()).isEqualTo("c0.jpg");
        assertThat(first.get("label").asText()).isEqualTo("car,person");
        assertThat(first.get("annotation").asText()).isEqualTo("annotations/c0.xml");
        assertThat(first.get("objects").asInt()).isEqualTo(2);
        // object detection names a label in its config (ingest.v1): without one, the push stops before anything moves
        CliRun.Result unlabelled = ferry.run("dataset", "push", boxes, "--table", "street", "--category", "object_detection",
                "--intent", "train");
        assertThat(unlabelled.exit()).isEqualTo(2);
        assertThat(unlabelled.err()).contains("--label-column: required");

        String masks = new DatasetBuilder(tmp.resolve("masks")).csv("filename,mask_id", "m0.jpg,m0_mask.png", "m1.jpg,m1_mask")
                .images("m", 2, 48, 32).mask("m0_mask.png", 48, 32).mask("m1_mask.png", 48, 32).dir().toString();
        CliRun.Result segmented = ferry.run("dataset", "push", masks, "--table", "roads", "--category", "semantic_segmentation",
                "--intent", "test", "--label-column", "label");
        assertThat(segmented.exit()).as(segmented.toString()).isZero();
        assertThat(ferry.run("dataset", "export", "roads", "--format", "csv").out())
                .contains("m0.jpg,jpg,,test,masks/m0_mask.png").contains("m1.jpg,jpg,,test,masks/m1_mask.png");
    }
}
