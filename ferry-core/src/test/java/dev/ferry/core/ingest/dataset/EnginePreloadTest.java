package dev.ferry.core.ingest.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.ConfigResolver;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.IngestDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's read ahead of a check, while the schema is inferred: the check takes it only for the
 * file as it was read, and what it stores is what the Java checks store.
 */
class EnginePreloadTest {
    /** A push without --schema: the schema is inferred, and the file read ahead meanwhile. */
    private static final ConfigFlags INFERRED = new ConfigFlags("t", "tabular_classification", "train", "y", null, null,
            null, null, null, null, null, null, null);
    private static final IngestConfig.CsvOptions DEFAULTS = new IngestConfig.CsvOptions(IngestDefaults.CSV_DELIMITER,
            IngestDefaults.CSV_QUOTE, null, IngestDefaults.CSV_CHUNK_SIZE);

    @TempDir
    Path tmp;

    @AfterEach
    void engineSizeBack() {
        System.clearProperty(EngineTableCheck.MIN_BYTES_PROPERTY);
    }

    private static String table(int records, int salt) {
        StringBuilder csv = new StringBuilder("x,score,y\n");
        for (int i = 0; i < records; i++) {
            csv.append(i * salt).append(',').append(i % 100).append(".5,c").append((i + salt) % 3).append('\n');
        }
        return csv.toString();
    }

    private Path dataset(String name, String csv) {
        return new DatasetBuilder(tmp.resolve(name)).file("labels.csv", csv).dir();
    }

    @Test
    void theInferenceReadsTheFileIntoTheEngineForTheCheck() throws Exception {
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, "0");
        Path file = dataset("ahead", table(5_000, 1)).resolve("labels.csv");
        SchemaInference.infer(file, false, "y", true);
        try (Connection c = EnginePreload.take(file, 3, DEFAULTS)) {
            assertThat(c).as("read ahead").isNotNull();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT content_hash) FROM r")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(5_000);
                assertThat(r.getLong(2)).isEqualTo(5_000);
            }
        }
        assertThat(EnginePreload.take(file, 3, DEFAULTS)).as("taken once").isNull();
    }

    /** A schema inferred for a table the engine will not check (the bucket policy, time series) reads nothing ahead. */
    @Test
    void noReadAheadForATableTheEngineWillNotCheck() throws Exception {
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, "0");
        Path bucketed = dataset("bucketed", table(2_000, 1).replace(",c0\n", ",1\n").replace(",c1\n", ",2\n").replace(",c2\n", ",3\n"));
        ConfigResolver.resolve(bucketed, null, new ConfigFlags("t", "tabular_regression", "train", "y", "bucket", null, null,
                null, null, null, null, null, null));
        assertThat(EnginePreload.take(bucketed.resolve("labels.csv"), 3, DEFAULTS)).isNull();
        Path regression = dataset("regression", table(2_000, 1).replace(",c0\n", ",1\n").replace(",c1\n", ",2\n").replace(",c2\n", ",3\n"));
        ConfigResolver.resolve(regression, null, new ConfigFlags("t", "tabular_regression", "train", "y", "passthrough", null,
                null, null, null, null, null, null, null));
        try (Connection c = EnginePreload.take(regression.resolve("labels.csv"), 3, DEFAULTS)) {
            assertThat(c).as("passthrough: the engine checks it, so it was read ahead").isNotNull();
        }
    }

    @Test
    void aReadWithOtherOptionsOrOfAChangedFileIsNotTaken() throws Exception {
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, "0");
        Path file = dataset("options", table(2_000, 1)).resolve("labels.csv");
        EnginePreload.start(file, 3, DEFAULTS);
        assertThat(EnginePreload.take(file, 3, new IngestConfig.CsvOptions(';', '"', null, 0))).isNull();
        EnginePreload.start(file, 3, DEFAULTS);
        assertThat(EnginePreload.take(file, 4, DEFAULTS)).as("another column count").isNull();
        EnginePreload.start(file, 3, DEFAULTS);
        EnginePreload.awaitRead(file);
        Files.writeString(file, table(2_000, 7));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(EnginePreload.take(file, 3, DEFAULTS)).as("the file changed since").isNull();
    }

    /** The file rewritten between the inference and the check: the check stores the new records, not the ones read ahead. */
    @Test
    void aFileChangedAfterTheInferenceIsCheckedAsItIsNow() throws Exception {
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, "0");
        Path dir = dataset("changed", table(3_000, 1));
        ConfigResolver.Resolved resolved = ConfigResolver.resolve(dir, null, INFERRED);
        EnginePreload.awaitRead(dir.resolve("labels.csv")); // the old records are in the engine
        Files.writeString(dir.resolve("labels.csv"), table(3_000, 5));
        Files.setLastModifiedTime(dir.resolve("labels.csv"), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        var outcome = DatasetCategory.of(resolved.config().category()).check(resolved.layout(), resolved.config(), RecordProgress.NONE);
        try {
            assertThat(outcome.rows().writtenFile()).as("the engine checked it").isNotNull();
            List<RowsTable.Row> rows = outcome.rows().entries();
            assertThat(rows).hasSize(3_000);
            assertThat(rows.get(2).values().get(5)).as("x of the third record, as the file says now").isEqualTo(10);
        } finally {
            outcome.rows().close();
        }
    }

    /** An inferred push through the engine, its table read ahead, stores what the Java checks store. */
    @Test
    void aTableReadAheadStoresWhatTheJavaChecksStore() throws Exception {
        String csv = table(40_000, 3) + "7,1.5,c1\n7,1.5,c1\n"; // and a repeat: numbered ids
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, String.valueOf(Long.MAX_VALUE));
        Path javaDir = dataset("java", csv);
        ConfigResolver.Resolved byJava = ConfigResolver.resolve(javaDir, null, INFERRED);
        var java = DatasetCategory.of(byJava.config().category()).check(byJava.layout(), byJava.config(), RecordProgress.NONE);
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, "0");
        Path engineDir = dataset("engine", csv);
        ConfigResolver.Resolved byEngine = ConfigResolver.resolve(engineDir, null, INFERRED);
        var engine = DatasetCategory.of(byEngine.config().category()).check(byEngine.layout(), byEngine.config(), RecordProgress.NONE);
        try {
            assertThat(byEngine.config().schema()).isEqualTo(byJava.config().schema());
            assertThat(java.rows().writtenFile()).isNull();
            assertThat(engine.rows().writtenFile()).as("the engine checked it").isNotNull();
            assertThat(engine.report().findings()).isEqualTo(java.report().findings());
            List<RowsTable.Row> e = engine.rows().entries();
            List<RowsTable.Row> j = java.rows().entries();
            assertThat(e).hasSameSizeAs(j);
            for (int i = 0; i < j.size(); i++) {
                // the Java checks' rows hold the values as read, the engine's table as stored (typed)
                assertThat(e.get(i).values().stream().map(String::valueOf).toList()).as("record %d", i)
                        .isEqualTo(j.get(i).values().stream().map(String::valueOf).toList());
            }
        } finally {
            java.rows().close();
            engine.rows().close();
        }
    }
}
