package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import blue.strategic.parquet.Hydrator;
import blue.strategic.parquet.HydratorSupplier;
import blue.strategic.parquet.ParquetReader;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.PreflightFailed;
import dev.ferry.core.ingest.RowsExport;
import dev.ferry.core.ingest.SqlType;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.transfer.TransferListener;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dataset push in-process: checks, version, rows table, re-push, failures, export. */
class PushTest {
    @TempDir
    Path tmp;

    LocalFerry ferry;

    @BeforeEach
    void open() {
        ferry = LocalFerry.open(new FerryHome(tmp.resolve("home")));
    }

    @AfterEach
    void close() {
        ferry.close();
    }

    private static final ConfigFlags CATS = new ConfigFlags("cats", "image_classification", "train", "label", null,
            null, null, null, null, null, null, null, null);

    private DatasetBuilder images(String name) {
        return new DatasetBuilder(tmp.resolve(name)).csv("filename,label", "a0.jpg,cat", "a1.jpg,cat", "a2.jpg,dog")
                .images("a", 3, 32, 32);
    }

    private static String read(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aPushMakesAVersionWithItsRowsAndAnIdenticalPushIsANoOp() throws Exception {
        DatasetBuilder d = images("ds");
        PushResult first = ferry.push(new PushRequest(d.dir(), null, CATS, "first", "v1"), TransferListener.NONE);
        assertThat(first.newVersion()).isTrue();
        assertThat(first.summary().records()).isEqualTo(3);
        assertThat(first.summary().inserted()).isEqualTo(3);
        assertThat(first.summary().failed()).isZero();
        assertThat(first.summary().successRate()).isEqualTo(1.0);
        // the ingestion step's progress: the records checked, of all of them
        List<dev.ferry.core.run.RunEvent.Progress> executing = ferry.runEvents(ferry.listRuns(1).get(0).id(), 0).stream()
                .map(dev.ferry.core.run.LoggedEvent::event)
                .filter(e -> e instanceof dev.ferry.core.run.RunEvent.Progress p && p.phase() == dev.ferry.core.run.RunState.EXECUTING)
                .map(e -> (dev.ferry.core.run.RunEvent.Progress) e).toList();
        assertThat(executing).last().satisfies(p -> {
            assertThat(p.recordsDone()).isEqualTo(3);
            assertThat(p.recordsTotal()).isEqualTo(3);
        });
        assertThat(ferry.getRepo("cats").bundleCount()).isEqualTo(1);
        Ingestion ingestion = ferry.getIngestion("cats", null);
        assertThat(ingestion.rowCount()).isEqualTo(3);
        assertThat(read(ferry.openRows(ingestion)).lines()).hasSize(3).first().asString()
                .contains("\"filename\":\"a0.jpg\"").contains("\"label\":\"cat\"").contains("\"data_intent\":\"train\"");

        PushResult again = ferry.push(new PushRequest(d.dir(), null, CATS, "again", null), TransferListener.NONE);
        assertThat(again.newVersion()).isFalse();
        assertThat(again.bundle().id()).isEqualTo(first.bundle().id());
        assertThat(again.summary().skipped()).isEqualTo(3);
        assertThat(again.summary().inserted()).isZero();
        assertThat(ferry.listIngestions("cats")).hasSize(1);

        ferry.gc(Duration.ZERO, false, s -> {});
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
        assertThat(read(ferry.openRows(ferry.getIngestion("cats", dev.ferry.core.model.BundleRef.label("v1")))).lines())
                .hasSize(3);
    }

    @Test
    void aFailingPreflightUploadsNothing() {
        DatasetBuilder d = images("bad").csv("filename,label", "a0.jpg,cat", "missing.jpg,dog");
        assertThatThrownBy(() -> ferry.pushNow(new PushRequest(d.dir(), null, CATS, null, null),
                dev.ferry.core.run.RunContext.detached()))
                .isInstanceOf(PreflightFailed.class)
                .satisfies(e -> assertThat(((PreflightFailed) e).result().dataset().report().hasErrors()).isTrue());
        // as a run, the failure is its last event, and says what is wrong in its one line
        assertThatThrownBy(() -> ferry.push(new PushRequest(d.dir(), null, CATS, null, null), TransferListener.NONE))
                .isInstanceOf(FerryException.class).hasMessageContaining("missing.jpg")
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(ferry.listRepos()).isEmpty();
        assertThat(ferry.listRuns(10)).extracting(r -> r.state().id()).containsExactly("failed");
    }

    /**
     * An image that changes once every file is stored: the version holds the bytes the checks read (the
     * checks' digest of each image is compared with the stored one), so its row stands. What would fail
     * is a stored image other than the one checked (next test, through the records file).
     */
    @Test
    void anImageThatChangesAfterItWasStoredKeepsTheRowOfTheBytesStored() throws Exception {
        DatasetBuilder d = images("changing");
        Path victim = d.dir().resolve("images/a1.jpg");
        byte[] checked = Files.readAllBytes(victim);
        // directly, not as a run: the listener must hear of each file as it is stored (labels.csv and 3 images)
        PushResult r = ferry.pushNow(new PushRequest(d.dir(), null, CATS, null, null), dev.ferry.core.run.RunContext
                .listening(afterStoring(4, () -> Files.write(victim, DatasetBuilderAccess.jpeg(32, 32, 99)))));
        assertThat(r.summary().failed()).isZero();
        assertThat(r.summary().inserted()).isEqualTo(3);
        Path out = tmp.resolve("back");
        ferry.download(new DownloadRequest("cats", BundleRef.id(r.bundle().id()), out, null, false), TransferListener.NONE);
        assertThat(Files.readAllBytes(out.resolve("images/a1.jpg"))).isEqualTo(checked);
    }

    /** A listener that runs {@code change} once the {@code files}-th file of the upload is stored. */
    private static TransferListener afterStoring(int files, java.util.concurrent.Callable<?> change) {
        AtomicInteger done = new AtomicInteger();
        return new TransferListener() {
            @Override
            public void fileDone() {
                if (done.incrementAndGet() == files) {
                    try {
                        change.call();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
    }

    @Test
    void aRecordsFileThatChangesAfterItWasUploadedFailsEveryRecord() {
        DatasetBuilder d = images("relabelled");
        Path csv = d.dir().resolve("labels.csv");
        PushResult r = ferry.pushNow(new PushRequest(d.dir(), null, CATS, null, null), dev.ferry.core.run.RunContext.listening(
                afterStoring(4, () -> Files.writeString(csv, "filename,label\na0.jpg,dog\na1.jpg,dog\na2.jpg,cat\n"))));
        assertThat(r.summary().inserted()).isZero();
        assertThat(r.summary().failed()).isEqualTo(3);
        assertThat(r.summary().failures()).singleElement().asString().contains("labels.csv changed after it was uploaded");
    }

    @Test
    void anAnnotationThatChangesAfterItWasUploadedIsAFailedRecord() {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("boxes")).csv("filename", "b0.jpg", "b1.jpg", "b2.jpg")
                .images("b", 3, 32, 32).voc("b0.xml", 32, 32, "cat 1 1 10 10").voc("b1.xml", 32, 32, "dog 2 2 12 12")
                .voc("b2.xml", 32, 32, "cat 3 3 9 9");
        ConfigFlags boxes = new ConfigFlags("boxes", "object_detection", "train", "label", null, null, null, null, null, null,
                null, null, null);
        Path victim = d.dir().resolve("annotations/b1.xml");
        PushResult r = ferry.pushNow(new PushRequest(d.dir(), null, boxes, null, null), dev.ferry.core.run.RunContext.listening(
                afterStoring(7, () -> Files.writeString(victim, Files.readString(victim).replace("12", "11")))));
        assertThat(r.summary().inserted()).isEqualTo(2);
        assertThat(r.summary().failed()).isEqualTo(1);
        assertThat(r.summary().failures()).singleElement().asString()
                .contains("annotations/b1.xml changed after it was uploaded");
    }

    /**
     * An image above the chunker's minimum is stored as several chunks, and its bundle digest is the
     * digest of its chunk digests, not of its bytes: the ingestion must still see it as the same file.
     */
    @Test
    void largeImagesStoredAsSeveralChunksAreIngested() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("large")).csv("filename,label", "big0.png,cat", "big1.png,dog")
                .noiseImage("big0.png", 1024, 1024).noiseImage("big1.png", 1024, 1024);
        assertThat(Files.size(d.dir().resolve("images/big0.png"))).isGreaterThan(2L * dev.ferry.core.chunk.GearChunker.AVG_SIZE);
        ConfigFlags flags = new ConfigFlags("large", "image_classification", "train", "label", null, null,
                "1024x1024", null, "png", null, null, null, null);
        PushResult byUuid = ferry.push(new PushRequest(d.dir(), null, flags, null, null), TransferListener.NONE);
        assertThat(byUuid.summary().failures()).isEmpty();
        assertThat(byUuid.summary().inserted()).isEqualTo(2);
        ConfigFlags byContent = new ConfigFlags("large_by_content", "image_classification", "train", "label", null,
                null, "1024x1024", null, "png", null, null, null, "content_hash");
        PushResult hashed = ferry.push(new PushRequest(d.dir(), null, byContent, null, null), TransferListener.NONE);
        assertThat(hashed.summary().failures()).isEmpty();
        assertThat(hashed.summary().inserted()).isEqualTo(2);
        // the content-hash id is the SHA-256 of the file's bytes, as sha256sum would print it
        assertThat(read(ferry.openRows(ferry.getIngestion("large_by_content", null)))).contains(
                "\"data_id\":\"" + dev.ferry.core.model.Digest.of(Files.readAllBytes(d.dir().resolve("images/big0.png"))).hex());
    }

    /** A stream an export writes to and must not close. */
    private static final class CallersStream extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void theSameFilesWithAnotherConfigAreANewVersionAndTheOldKeepsItsRows() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("prices")).csv("rooms,price", "3,250000", "2,90000", "5,1200000");
        ConfigFlags raw = new ConfigFlags("prices", "tabular_regression", "train", "price", "passthrough", null, null,
                null, null, null, null, null, null);
        ConfigFlags bucketed = new ConfigFlags("prices", "tabular_regression", "train", "price", "bucket", List.of(100000.0),
                null, null, null, null, null, null, null);
        PushResult first = ferry.push(new PushRequest(d.dir(), null, raw, null, null), TransferListener.NONE);
        PushResult second = ferry.push(new PushRequest(d.dir(), null, bucketed, null, null), TransferListener.NONE);
        assertThat(second.newVersion()).isTrue();
        assertThat(second.bundle().id()).isNotEqualTo(first.bundle().id());
        assertThat(second.bundle().manifest()).isEqualTo(first.bundle().manifest());
        assertThat(second.summary().inserted()).isEqualTo(3);
        assertThat(ferry.listIngestions("prices")).hasSize(2);
        assertThat(ferry.getIngestion("prices", BundleRef.id(first.bundle().id())).columns()).doesNotContain("label_raw");
        assertThat(ferry.getIngestion("prices", null).columns()).contains("label_raw");
        // and the same config again is the version it made
        PushResult third = ferry.push(new PushRequest(d.dir(), null, bucketed, null, null), TransferListener.NONE);
        assertThat(third.newVersion()).isFalse();
        assertThat(third.bundle().id()).isEqualTo(second.bundle().id());
    }

    /**
     * A table larger than what a RowsTable keeps on the heap: its rows go through the spill file, a bucket
     * policy names each row's bucket as the table is read back, repeated rows keep unique ids, and the
     * stored table has every row in file order.
     */
    @Test
    void aTableLargerThanTheHeapPartSpillsAndIsStoredWhole() throws Exception {
        int n = dev.ferry.core.ingest.dataset.RowsTableAccess.inMemory() * 3 + 17;
        StringBuilder csv = new StringBuilder("rooms,price");
        for (int i = 0; i < n; i++) {
            int price = i % 1000; // every row repeats 1,000 rows later: same content, another record
            csv.append('\n').append(i % 7).append(',').append(price);
        }
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("many")).file("prices.csv", csv.toString());
        java.util.Set<Path> spillsBefore = spillFiles();
        ConfigFlags bucketed = new ConfigFlags("many", "tabular_regression", "train", "price", "bucket", null,
                null, null, null, null, null, null, null);
        PushResult pushed = ferry.push(new PushRequest(d.dir(), null, bucketed, null, null), TransferListener.NONE);
        assertThat(pushed.summary().inserted()).isEqualTo(n);
        assertThat(pushed.summary().failed()).isZero();
        assertThat(pushed.summary().labels()).hasSize(10).allSatisfy(l -> assertThat(l).startsWith("["));
        var stats = ferry.datasetStats("many", null);
        assertThat(stats.rows()).isEqualTo(n);
        assertThat(stats.columns()).filteredOn(c -> c.name().equals("data_id")).singleElement()
                .satisfies(c -> assertThat(c.distinct()).isEqualTo(n));
        assertThat(stats.labels()).hasSize(10).allSatisfy(l -> assertThat(l.rows()).isBetween((long) n / 10 - 2000, (long) n / 10 + 2000));
        var last = ferry.rowsPage("many", null, new dev.ferry.core.model.RowsPage.Query(List.of("rooms", "label_raw", "label"),
                n - 1, 1));
        int i = n - 1; // the price is the label: kept as written in label_raw, its bucket in label
        assertThat(last.rows()).singleElement().satisfies(r -> {
            assertThat(String.valueOf(r.get(0))).isEqualTo(String.valueOf(i % 7));
            assertThat(String.valueOf(r.get(1))).isEqualTo(String.valueOf(i % 1000));
            assertThat(String.valueOf(r.get(2))).startsWith("[");
        });
        assertThat(spillFiles()).as("the spill files went with their tables").isEqualTo(spillsBefore);
    }

    private static java.util.Set<Path> spillFiles() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("ferry-rows-")).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void theRowsAreStoredAsParquetAndATableStoredAsJsonLinesBeforeIsStillRead() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("houses")).csv("rooms,city,price", "3,Oslo,250000",
                "2,Rome,90000", "5,Lima,1200000");
        ConfigFlags flags = new ConfigFlags("houses", "tabular_regression", "test", "price", "passthrough", null, null,
                null, null, "rooms:INT,city:VARCHAR(16)", null, null, null);
        ferry.push(new PushRequest(d.dir(), null, flags, null, null), TransferListener.NONE);
        Ingestion i = ferry.getIngestion("houses", null);
        var blobs = ferry.store().blobs();
        assertThat(dev.ferry.core.manifest.SingleFile.name(blobs, i.rowsManifest())).isEqualTo("rows.parquet");
        byte[] stored = dev.ferry.core.manifest.SingleFile.open(blobs, i.rowsManifest()).readAllBytes();
        assertThat(new String(stored, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        assertThat(ferry.openRowsParquet(i).readAllBytes()).as("the stored file, as it is").isEqualTo(stored);
        // JSON Lines made from it: typed values, columns in order
        assertThat(read(ferry.openRows(i)).lines()).hasSize(3).element(1).asString()
                .startsWith("{\"data_id\":").contains("\"rooms\":2,\"city\":\"Rome\"");

        // a version ingested before the rows were Parquet: its JSON Lines are read as they are, and a
        // Parquet export converts them
        String lines = "{\"data_id\":\"a\",\"filename\":null,\"extension\":null,\"label\":\"1\",\"data_intent\":\"test\","
                + "\"rooms\":\"4\",\"city\":\"Oslo\"}\n";
        var old = dev.ferry.core.manifest.SingleFile.store(blobs, "rows.jsonl",
                new java.io.ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), 0644);
        Ingestion before = new Ingestion(i.repo(), i.bundleId(), i.category(), old.root(), 1, i.columns(), i.config(),
                i.summary(), i.createdAt());
        assertThat(read(ferry.openRows(before))).isEqualTo(lines);
        Path converted = tmp.resolve("before.parquet");
        Files.write(converted, ferry.openRowsParquet(before).readAllBytes());
        assertThat(parquetRows(converted)).singleElement().satisfies(row -> assertThat(row).containsEntry("rooms", 4));
        assertThat(Files.list(new dev.ferry.core.home.FerryHome(tmp.resolve("home")).scratchDir())
                .filter(p -> p.getFileName().toString().startsWith("rows-"))).as("no temporary rows file left").isEmpty();
    }

    @Test
    void tabularRowsExportAsCsvJsonlAndParquet() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("houses")).csv("rooms,city,price", "3,Oslo,250000",
                "2,Rome,90000", "5,Lima,1200000");
        ConfigFlags flags = new ConfigFlags("houses", "tabular_regression", "test", "price", "passthrough", null, null,
                null, null, "rooms:INT,city:VARCHAR(16)", null, null, null);
        PushResult r = ferry.push(new PushRequest(d.dir(), null, flags, null, null), TransferListener.NONE);
        assertThat(r.summary().inserted()).isEqualTo(3);
        Ingestion i = ferry.getIngestion("houses", null);
        Map<String, SqlType> types = Map.of("rooms", SqlType.parse("INT"), "city", SqlType.parse("VARCHAR(16)"));

        // each leaves the caller's stream open: it may be this process's stdout
        CallersStream csv = new CallersStream();
        RowsExport.write(ferry.openRows(i), i.columns(), types, RowsExport.Format.CSV, csv);
        assertThat(csv.toString(StandardCharsets.UTF_8).lines()).hasSize(4).first()
                .isEqualTo("data_id,filename,extension,label,data_intent,rooms,city");
        assertThat(csv.toString(StandardCharsets.UTF_8)).contains(",,,90000,test,2,Rome");
        assertThat(csv.closed).isFalse();

        CallersStream jsonl = new CallersStream();
        RowsExport.write(ferry.openRows(i), i.columns(), types, RowsExport.Format.JSONL, jsonl);
        assertThat(jsonl.toString(StandardCharsets.UTF_8).lines()).hasSize(3);
        assertThat(jsonl.closed).isFalse();

        Path parquet = tmp.resolve("houses.parquet");
        CallersStream parquetBytes = new CallersStream();
        RowsExport.write(ferry.openRows(i), i.columns(), types, RowsExport.Format.PARQUET, parquetBytes);
        assertThat(parquetBytes.closed).isFalse();
        Files.write(parquet, parquetBytes.toByteArray());
        {
            List<Map<String, Object>> all = parquetRows(parquet);
            assertThat(all).hasSize(3);
            assertThat(all.get(1)).containsEntry("rooms", 2).containsEntry("city", "Rome").containsEntry("label", "90000")
                    .containsEntry("filename", null);
        }
    }

    /** A Parquet file's rows, each a map of column to value. */
    private static List<Map<String, Object>> parquetRows(Path file) throws Exception {
        HydratorSupplier<Map<String, Object>, Map<String, Object>> toMap = columns -> new Hydrator<>() {
            public Map<String, Object> start() {
                return new LinkedHashMap<>();
            }

            public Map<String, Object> add(Map<String, Object> target, String heading, Object value) {
                target.put(heading, value);
                return target;
            }

            public Map<String, Object> finish(Map<String, Object> target) {
                return target;
            }
        };
        try (var rows = ParquetReader.streamContent(file.toFile(), toMap)) {
            return rows.toList();
        }
    }
}
