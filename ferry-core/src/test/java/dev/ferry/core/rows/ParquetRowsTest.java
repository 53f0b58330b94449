package dev.ferry.core.rows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ingest.SqlType;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stored rows table: typed Parquet columns, ZSTD, row groups for paging, read back as JSON Lines. */
class ParquetRowsTest {
    @TempDir
    Path tmp;

    private static final List<String> COLUMNS = List.of("data_id", "count", "score", "ok", "odd", "boxes", "width", "ratio");

    private static Map<String, SqlType> schema() {
        Map<String, SqlType> schema = new LinkedHashMap<>();
        schema.put("count", SqlType.parse("INT"));
        schema.put("score", SqlType.parse("DOUBLE"));
        schema.put("ok", SqlType.parse("BOOLEAN"));
        schema.put("odd", SqlType.parse("INT")); // holds a value that is not one: kept as text, not lost
        return schema;
    }

    private static List<Object> row(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    private Path write(List<List<Object>> rows) throws Exception {
        Path out = tmp.resolve("rows.parquet");
        ParquetRows.write(COLUMNS, schema(), rows, out, tmp.resolve("scratch"));
        return out;
    }

    /** A query that spills works where the scratch folder (and its parents) did not exist yet: a fresh home. */
    @Test
    void theEngineSpillsIntoAScratchFolderItMakes() throws Exception {
        Path scratch = tmp.resolve("home/scratch");
        try (Connection c = ParquetRows.connect(scratch); Statement s = c.createStatement()) {
            // little memory, one thread (each needs its own minimum to sort): the sort below must spill
            s.execute("SET threads = 1");
            s.execute("SET memory_limit = '32MB'");
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM (SELECT i, hash(i) AS h FROM range(4000000) t(i) ORDER BY h)")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(4_000_000);
            }
        }
        assertThat(scratch).isDirectory();
    }

    @Test
    void schemaColumnsAreTypedNaAndEmptyAreNullsAndOtherColumnsTypedByTheirValues() throws Exception {
        Path file = write(List.of(
                row("a", "+5", "1.50", "yes", "7", List.of(List.of(1, 2, 3, 4)), 640L, 0.5),
                row("b", "NA", "", "0", "x9", List.of(), 480L, null),
                row("c", "", "nan", "t", null, null, null, 1.25)));
        try (Connection c = ParquetRows.connect(tmp); Statement s = c.createStatement()) {
            Map<String, String> types = new LinkedHashMap<>();
            try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                while (r.next()) {
                    types.put(r.getString(1), r.getString(2));
                }
            }
            assertThat(types).containsExactly(Map.entry("data_id", "VARCHAR"), Map.entry("count", "INTEGER"),
                    Map.entry("score", "DOUBLE"), Map.entry("ok", "BOOLEAN"), Map.entry("odd", "VARCHAR"),
                    Map.entry("boxes", "VARCHAR"), Map.entry("width", "BIGINT"), Map.entry("ratio", "DOUBLE"));
            try (ResultSet r = s.executeQuery("SELECT count, score, ok, odd, boxes FROM read_parquet('" + file + "')")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(5);
                assertThat(r.getDouble(2)).isEqualTo(1.5);
                assertThat(r.getBoolean(3)).isTrue();
                assertThat(r.getString(4)).isEqualTo("7");
                assertThat(r.getString(5)).isEqualTo("[[1,2,3,4]]");
                r.next();
                assertThat(r.getObject(1)).as("NA").isNull();
                assertThat(r.getObject(2)).as("empty").isNull();
                assertThat(r.getBoolean(3)).isFalse();
                assertThat(r.getString(4)).isEqualTo("x9");
                r.next();
                assertThat(r.getObject(1)).isNull();
                assertThat(Double.isNaN(r.getDouble(2))).isTrue();
                assertThat(r.getObject(4)).isNull();
            }
            // ZSTD, and row groups of 100,000 rows with statistics: what a page of rows reads
            try (ResultSet r = s.executeQuery("SELECT DISTINCT compression FROM parquet_metadata('" + file + "')")) {
                r.next();
                assertThat(r.getString(1)).isEqualToIgnoringCase("ZSTD");
            }
        }
    }

    /** The values go to the engine through a CSV file: none may come back as something else. */
    @Test
    void textWithQuotesCommasLineBreaksAndTheNullMarkerComesBackAsWritten() throws Exception {
        List<String> tricky = List.of("a \"quoted\" word", "comma, here", "two\nlines", "\\N", "", "  padded  ", "é ✓ 中");
        List<List<Object>> rows = new ArrayList<>();
        for (String t : tricky) {
            rows.add(row(t, "1", "-inf", "no", "1", null, 1L, Double.POSITIVE_INFINITY));
        }
        rows.add(row(null, "2", "1e300", "y", "2", null, null, null));
        Path file = write(rows);
        try (Connection c = ParquetRows.connect(tmp); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT data_id, score, ok, ratio FROM read_parquet('" + file + "')")) {
            for (String t : tricky) {
                r.next();
                assertThat(r.getString(1)).isEqualTo(t);
                assertThat(r.getDouble(2)).isEqualTo(Double.NEGATIVE_INFINITY);
                assertThat(r.getBoolean(3)).isFalse();
                assertThat(r.getDouble(4)).isEqualTo(Double.POSITIVE_INFINITY);
            }
            r.next();
            assertThat(r.getObject(1)).as("a null stays null").isNull();
            assertThat(r.getDouble(2)).isEqualTo(1e300);
            assertThat(r.getBoolean(3)).isTrue();
            assertThat(r.next()).isFalse();
        }
        try (var left = Files.list(tmp.resolve("scratch"))) {
            assertThat(left.filter(f -> f.toString().endsWith(".csv"))).as("the scratch CSV is gone").isEmpty();
        }
    }

    @Test
    void aTableOfManyRowsIsWrittenInRowGroupsAndReadBackAsJsonLinesInOrder() throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 250_000; i++) {
            rows.add(row("id" + i, Integer.toString(i % 1000), Double.toString(i / 4.0), i % 2 == 0 ? "true" : "false",
                    "1", null, (long) i, null));
        }
        Path file = write(rows);
        try (Connection c = ParquetRows.connect(tmp); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(DISTINCT row_group_id), max(row_group_num_rows) FROM parquet_metadata('"
                        + file + "')")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(3);
            // DuckDB fills whole vectors of 2,048 rows: a group is the size asked, rounded up to one
            assertThat(r.getLong(2)).isBetween((long) ParquetRows.ROW_GROUP, ParquetRows.ROW_GROUP + 2048L);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ParquetRows.copyAsJsonLines(file, out, tmp.resolve("scratch"));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(250_000);
        assertThat(lines.get(0)).isEqualTo("{\"data_id\":\"id0\",\"count\":0,\"score\":0.0,\"ok\":true,\"odd\":1,\"boxes\":null,"
                + "\"width\":0,\"ratio\":null}");
        assertThat(lines.get(249_999)).startsWith("{\"data_id\":\"id249999\",\"count\":999,");
        assertThat(Files.list(tmp.resolve("scratch")).filter(p -> p.toString().endsWith(".parquet")
                || p.toString().endsWith(".jsonl")).count()).as("no temporary file left").isZero();
    }
}
