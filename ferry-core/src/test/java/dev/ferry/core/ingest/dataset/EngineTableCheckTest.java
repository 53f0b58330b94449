package dev.ferry.core.ingest.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.ConfigResolver;
import dev.ferry.core.ingest.Preflight;
import dev.ferry.core.rows.ParquetRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows engine's checks of a CSV table against the Java checks: on every case below — clean tables
 * the engine takes, and tables it must leave to the Java checks (a value outside its forms, a malformed
 * file) — both give the same report (findings and their messages, labels, counts) and the same stored
 * rows (columns, types, values, order). The engine runs on these small files because the size it
 * starts at is lowered to 0.
 */
class EngineTableCheckTest {
    @TempDir
    Path tmp;

    private int n;

    @AfterEach
    void engineSizeBack() {
        System.clearProperty(EngineTableCheck.MIN_BYTES_PROPERTY);
        System.clearProperty(WatchedStatement.TICK_PROPERTY);
    }

    /** A case: the records file's bytes, the flags, and whether the engine must take it (else it may decline). */
    record Case(String name, byte[] csv, ConfigFlags flags, boolean engineTakes) {}

    private static ConfigFlags flags(String category, String label, String schema) {
        return flags(category, label, schema, null, null);
    }

    private static ConfigFlags flags(String category, String label, String schema, String policy, String dataId) {
        return new ConfigFlags("t", category, "train", label, policy, null, null, null, null, schema, null, null, dataId);
    }

    private static Case clean(String name, String csv, ConfigFlags flags) {
        return new Case(name, csv.getBytes(StandardCharsets.UTF_8), flags, true);
    }

    private static Case either(String name, String csv, ConfigFlags flags) {
        return new Case(name, csv.getBytes(StandardCharsets.UTF_8), flags, false);
    }

    private static final ConfigFlags CLASSES = flags("tabular_classification", "y", "x:INT");

    static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        all.add(clean("plain", "x,y\n1,cat\n2,dog\n3,cat\n", CLASSES));
        all.add(clean("quoted text with commas, line breaks and quotes", "id,note,y\n1,\"a,b\",cat\n2,\"l1\nl2\",dog\n"
                + "3,\"say \"\"hi\"\"\",cat\n4,,dog\n5,\"\",cat\n6,x\"y,dog\n", flags("tabular_classification", "y", "id:INT,note:TEXT")));
        all.add(clean("CRLF line ends", "x,y\r\n1,cat\r\n2,dog\r\n", CLASSES));
        all.add(clean("CR line ends", "x,y\r1,cat\r2,dog\r", CLASSES));
        all.add(clean("no line end at the end", "x,y\n1,cat\n2,dog", CLASSES));
        all.add(clean("byte-order mark", "\uFEFFx,y\n1,cat\n2,dog\n", CLASSES));
        all.add(clean("blank lines", "x,y\n1,cat\n\n2,dog\n\n", CLASSES));
        all.add(clean("NA-like labels and values", "x,y\n1,cat\nNA,dog\n,NA\nnull,\n3,N/A\n4,dog\n", CLASSES));
        all.add(clean("NA-like labels with spaces around", "x,y\n1,cat\n2, NA\n3,dog\n4,null \n", CLASSES));
        all.add(clean("numeric labels compare by value", "x,y\n1,+5\n2,007\n3,-0\n4,5\n5,7\n", CLASSES));
        all.add(clean("numbers and words as labels", "x,y\n1,1.0\n2,1\n3,one\n4,2.50\n5,inf\n", CLASSES));
        all.add(clean("text labels keep their form but not their spaces", "x,y\n1, cat \n2,1.0\n3,1\n",
                flags("tabular_classification", "y", "x:INT,y:VARCHAR(8)")));
        all.add(clean("numbers", "d,f,y\n1.,1.,a\n.5,.5,b\n-2.5e3,-2.5e3,a\n1E-7,1E-7,b\n0.1,0.1,a\n123456789.123456789,"
                + "123456789.123456789,b\n+3,+3,a\n", flags("tabular_classification", "y", "d:DOUBLE,f:FLOAT")));
        all.add(clean("booleans", "b,y\ntrue,a\nFALSE,b\nYes,a\nn,b\n1,a\n0,b\nt,a\nNA,b\n",
                flags("tabular_classification", "y", "b:BOOLEAN")));
        all.add(clean("integer bounds", "i,t,s,m,b,y\n2147483647,127,32767,8388607,123456789012345678,a\n"
                + "-2147483648,-128,-32768,-8388608,-123456789012345678,b\n+7,007,-0,0,1,a\n",
                flags("tabular_classification", "y", "i:INT,t:TINYINT,s:SMALLINT,m:MEDIUMINT,b:BIGINT")));
        all.add(clean("repeated records get ids of their own", "x,y\n3,cat\n3,cat\n4,dog\n3,cat\n", CLASSES));
        all.add(clean("ids from a column", "id,x,y\nx1,3,cat\nx2,4,dog\n,5,cat\n",
                flags("tabular_classification", "y", "x:INT", null, "column:id")));
        all.add(clean("random ids", "x,y\n3,cat\n3,cat\n4,dog\n", flags("tabular_classification", "y", "x:INT", null, "uuid")));
        all.add(clean("columns not in the schema", "x,y,extra,more\n1,cat,a,b\n2,dog,c,d\n", CLASSES));
        all.add(clean("one label only", "x,y\n1,cat\n2,cat\n", CLASSES));
        all.add(clean("a header and no data rows", "x,y\n", CLASSES));
        all.add(clean("unicode", "x,y,name\n1,猫,ñandú\n2,犬,Zoë\n", flags("tabular_classification", "y", "x:INT,name:VARCHAR(12)")));
        all.add(clean("regression with whole numbers", "x,price\n1,250000\n2,NA\n3,+12\n",
                flags("tabular_regression", "price", "x:INT", "passthrough", null)));
        all.add(clean("no schema", "x,y\n1,cat\n2,dog\n", flags("tabular_classification", "y", null)));
        all.add(either("regression with decimals", "x,price\n1,2.50\n2,3\n", flags("tabular_regression", "price", "x:INT",
                "passthrough", null)));
        all.add(either("text longer in bytes than characters", "x,y,name\n1,a,héllo\n2,b,hello\n",
                flags("tabular_classification", "y", "x:INT,name:VARCHAR(5)")));
        all.add(either("text too long", "x,y,name\n1,a,hello!\n2,b,hello\n", flags("tabular_classification", "y",
                "x:INT,name:VARCHAR(5)")));
        all.add(either("values with spaces around", "x,y\n 5,cat\n6 ,dog\n", CLASSES));
        all.add(either("not integers", "x,y\nabc,cat\n1.5,dog\n2147483648,cat\n", CLASSES));
        all.add(either("a number too large for a double", "d,y\n1e400,a\n2,b\n", flags("tabular_classification", "y", "d:DOUBLE")));
        all.add(either("not booleans", "b,y\nmaybe,a\ntrue,b\n", flags("tabular_classification", "y", "b:BOOLEAN")));
        all.add(either("a record short of columns", "x,y\n1,cat\n2\n", CLASSES));
        all.add(either("a record with a column too many", "x,y\n1,cat\n2,dog,extra\n", CLASSES));
        all.add(either("a quote in the wrong place", "x,y\n1,\"cat\"s\n2,dog\n", CLASSES));
        all.add(either("a quote never closed", "x,y\n1,\"cat\n2,dog\n", CLASSES));
        all.add(either("a line of spaces", "x,y\n1,cat\n   \n2,dog\n", CLASSES));
        all.add(either("a control character in a label", "x,y\n1,c\tat\n2,dog\n", CLASSES));
        all.add(either("a label too long", "x,y\n1," + "c".repeat(1100) + "\n2,dog\n", CLASSES));
        all.add(either("a NUL in a cell", "x,y,z\n1,cat,a\u0000b\n2,dog,c\n", CLASSES));
        all.add(either("a cell too long", "x,y,z\n1,cat," + "z".repeat(70_000) + "\n2,dog,c\n", CLASSES));
        all.add(either("ids that repeat", "id,x,y\nx1,3,cat\nx1,4,dog\n", flags("tabular_classification", "y", "x:INT",
                null, "column:id")));
        all.add(either("a schema type the engine leaves to Java", "blob,y\nab,a\ncd,b\n",
                flags("tabular_classification", "y", "blob:BLOB")));
        all.add(clean("decimals", "price,any,y\n1.50,1.5,a\n-123.45,-123.456789,b\n007.1,+7,a\nNA,,b\n0,0.000,a\n",
                flags("tabular_classification", "y", "price:DECIMAL(5,2),any:DECIMAL")));
        all.add(either("decimals with too many digits before the point", "price,y\n1234.5,a\n1.23,b\n",
                flags("tabular_classification", "y", "price:DECIMAL(5,2)")));
        all.add(either("decimals with too many decimal places", "price,y\n1.234,a\n1.23,b\n",
                flags("tabular_classification", "y", "price:DECIMAL(5,2)")));
        all.add(either("decimals of another form", "price,y\n1e2,a\n.5,b\n1.,a\n",
                flags("tabular_classification", "y", "price:DECIMAL(5,2)")));
        all.add(either("zeros before the point", "price,y\n0.55,a\n00.5,b\n",
                flags("tabular_classification", "y", "price:DECIMAL(2,2)")));
        all.add(clean("dates and times", "d,ts,t,y\n2024-01-02,2024-01-02,13:45,a\n2024-02-29,2024-01-02 13:45,23:59:59,b\n"
                + "NA,2024-01-02T13:45:30.123,00:00:00.5,a\n,2000-12-31 00:00:00,,b\n",
                flags("tabular_classification", "y", "d:DATE,ts:TIMESTAMP,t:TIME")));
        all.add(either("dates that are not", "d,y\n2023-02-29,a\n2024-13-01,b\n2024-1-2,a\n 2024-01-02,b\n2024-04-31,a\n",
                flags("tabular_classification", "y", "d:DATE")));
        all.add(either("a day its month does not have", "d,y\n2024-04-31,a\n2024-01-02,b\n",
                flags("tabular_classification", "y", "d:DATE")));
        all.add(either("a day its year does not have", "ts,y\n2024-01-02,a\n2023-02-29 10:00,b\n",
                flags("tabular_classification", "y", "ts:TIMESTAMP")));
        all.add(either("times and timestamps the engine leaves to Java", "ts,t,y\n2024-01-02 13:45+02:00,24:00,a\n"
                + "2024-01-02 25:00,13:45:60,b\n2024-01-02T13:45Z,13:45:30.,a\n", flags("tabular_classification", "y",
                "ts:TIMESTAMP,t:TIME")));
        all.add(either("timestamps with offsets", "ts,y\n2024-01-02 13:45+02:00,a\n2024-01-02T13:45Z,b\n",
                flags("tabular_classification", "y", "ts:TIMESTAMP")));
        all.add(either("a label column that is missing", "x,z\n1,cat\n", CLASSES));
        all.add(new Case("not UTF-8", "x,y\n1,caf\u00e9\n2,dog\n".getBytes(StandardCharsets.ISO_8859_1), CLASSES, false));
        all.add(either("regression, labels that are not numbers", "x,price\n1,3\n2,cheap\n",
                flags("tabular_regression", "price", "x:INT", "passthrough", null)));
        return all;
    }

    @TestFactory
    Stream<DynamicTest> theEngineAndTheJavaChecksReachOneOutcome() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Preflight.Result[] both = bothWays(c, "case" + (++n));
            Preflight.Result java = both[0];
            Preflight.Result engine = both[1];
            try {
                assertThat(engine.config().issues()).isEqualTo(java.config().issues());
                if (java.dataset() == null) {
                    assertThat(engine.dataset()).isNull();
                    return;
                }
                DatasetReport j = java.dataset().report();
                DatasetReport e = engine.dataset().report();
                assertThat(e.findings()).as("findings").isEqualTo(j.findings());
                assertThat(e.distinctLabels()).as("labels").isEqualTo(j.distinctLabels());
                assertThat(e.records()).as("records").isEqualTo(j.records());
                assertThat(e.files()).isEqualTo(j.files());
                RowsTable jr = java.dataset().rows();
                RowsTable er = engine.dataset().rows();
                assertThat(jr.writtenFile()).isNull();
                if (c.engineTakes()) {
                    assertThat(er.writtenFile()).as("the engine took it").isNotNull();
                }
                assertThat(er.columns()).isEqualTo(jr.columns());
                assertThat(er.size()).isEqualTo(jr.size());
                if (jr.size() > 0) {
                    boolean uuids = c.flags().dataId() != null && c.flags().dataId().startsWith("uuid");
                    assertThat(stored(er, engine, uuids)).as("stored rows").isEqualTo(stored(jr, java, uuids));
                }
            } finally {
                java.dataset().rows().close();
                engine.dataset().rows().close();
            }
        }));
    }

    /**
     * Large tables through each of the engine's plans — a plain scan, numbered repeats (a window), many
     * label keys (a join) — keep the records' order and match the Java checks row for row.
     */
    @TestFactory
    Stream<DynamicTest> largeTablesKeepTheirOrderThroughEveryPlan() {
        return Stream.of("scan", "repeats", "join").map(plan -> DynamicTest.dynamicTest(plan, () -> {
            StringBuilder csv = new StringBuilder("x,y,note\n");
            // beyond two of the engine's row groups (122,880 rows), so that its two threads both read
            int records = plan.equals("scan") ? 300_000 : 60_000;
            for (int i = 0; i < records; i++) {
                String label = plan.equals("join") ? "+" + (i % 1500) : "c" + (i % 4);
                int x = plan.equals("repeats") ? i % 20_000 : i;
                csv.append(x).append(',').append(label).append(",n").append(x % 7).append('\n');
            }
            Preflight.Result[] both = bothWays(clean(plan, csv.toString(), CLASSES), plan);
            Preflight.Result java = both[0];
            Preflight.Result engine = both[1];
            try {
                assertThat(engine.dataset().rows().writtenFile()).isNotNull();
                assertThat(engine.dataset().report().findings()).isEqualTo(java.dataset().report().findings());
                assertThat(engine.dataset().report().distinctLabels()).isEqualTo(java.dataset().report().distinctLabels());
                assertSame(stored(engine.dataset().rows(), engine, false), stored(java.dataset().rows(), java, false));
            } finally {
                java.dataset().rows().close();
                engine.dataset().rows().close();
            }
        }));
    }

    /** Equal lists, told by the first line that differs (a table's lists are long). */
    private static void assertSame(List<String> actual, List<String> expected) {
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            if (!actual.get(i).equals(expected.get(i))) {
                assertThat(actual.get(i)).as("line %d of %d", i, expected.size()).isEqualTo(expected.get(i));
            }
        }
        assertThat(actual.size()).isEqualTo(expected.size());
    }

    /** The report-only check (validate, a dry run) through the engine reports what the full one does, and writes nothing. */
    @Test
    void aReportOnlyCheckByTheEngineReportsTheSame() throws Exception {
        StringBuilder csv = new StringBuilder("x,y,note\n");
        for (int i = 0; i < 30_000; i++) {
            csv.append(i).append(',').append(i % 3 == 0 ? "NA" : "c" + (i % 4)).append(",n").append(i % 7).append('\n');
        }
        Path dir = tmp.resolve("big");
        new DatasetBuilder(dir).file("labels.csv", csv.toString());
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, "0");
        Preflight.Result full = Preflight.runKeepingRows(dir, null, CLASSES);
        var resolved = full.config();
        var reportOnly = DatasetCategory.of(resolved.config().category()).check(resolved.layout(), resolved.config(),
                RecordProgress.REPORT_ONLY);
        try {
            assertThat(full.dataset().rows().writtenFile()).isNotNull();
            assertThat(full.dataset().rows().size()).isEqualTo(30_000);
            // the engine's table reads back as stored, in order: typed values, no files
            List<RowsTable.Row> back = full.dataset().rows().entries();
            assertThat(back).hasSize(30_000);
            assertThat(back.get(1).values()).containsExactly(back.get(1).values().get(0), null, null, "c1", "train", 1);
            assertThat((String) back.get(1).values().get(0)).hasSize(DataIds.VALUES_ID_DIGITS);
            assertThat(back.get(29_999).values().get(5)).isEqualTo(29_999);
            assertThat(back.get(0).values().get(3)).as("NA: no label").isNull();
            assertThat(back.get(7).files()).isEmpty();
            assertThat(reportOnly.report().findings()).isEqualTo(full.dataset().report().findings());
            assertThat(reportOnly.report().findings().toString()).contains("10,000 records have no label", "note");
            assertThat(reportOnly.rows().writtenFile()).isNull();
            assertThat(reportOnly.rows().size()).isZero();
        } finally {
            full.dataset().rows().close();
        }
        assertThat(Files.exists(full.dataset().rows().writtenFile())).as("closing deletes the engine's file").isFalse();
    }

    /** A table the engine takes, of {@code records} records, in a folder of its own; the engine's tick at 5 ms. */
    private ConfigResolver.Resolved largeTable(String folder, int records) {
        StringBuilder csv = new StringBuilder("x,y,note\n");
        for (int i = 0; i < records; i++) {
            csv.append(i).append(",c").append(i % 4).append(",n").append(i % 7).append('\n');
        }
        Path dir = tmp.resolve(folder);
        new DatasetBuilder(dir).file("labels.csv", csv.toString());
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, "0");
        System.setProperty(WatchedStatement.TICK_PROPERTY, "5");
        return ConfigResolver.resolve(dir, null, CLASSES);
    }

    /** While the engine works, the checks' progress hears the records read, then checked, then all of them. */
    @Test
    void theEngineReportsHowFarItIs() {
        ConfigResolver.Resolved resolved = largeTable("progress", 400_000);
        List<long[]> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread caller = Thread.currentThread();
        List<Thread> callers = java.util.Collections.synchronizedList(new ArrayList<>());
        var outcome = DatasetCategory.of(resolved.config().category()).check(resolved.layout(), resolved.config(),
                (done, total) -> {
                    heard.add(new long[] {done, total});
                    callers.add(Thread.currentThread());
                });
        try {
            assertThat(outcome.rows().writtenFile()).as("the engine took it").isNotNull();
            assertThat(heard.getLast()).containsExactly(400_000, 400_000);
            assertThat(heard.size()).as("ticks while the engine ran").isGreaterThan(3);
            assertThat(heard).as("while reading: a count, no total yet").anySatisfy(h -> {
                assertThat(h[0]).isPositive();
                assertThat(h[1]).isZero();
            });
            assertThat(heard).as("done never passes total").allSatisfy(h -> assertThat(h[1] == 0 || h[0] <= h[1]).isTrue());
            assertThat(callers).as("on the checking thread, as the Java checks report").containsOnly(caller);
        } finally {
            outcome.rows().close();
        }
    }

    /** A cancelled run's progress throws: the engine's statement is interrupted at once and nothing is left behind. */
    @Test
    void aCancelStopsTheEngineAtOnce() throws Exception {
        ConfigResolver.Resolved resolved = largeTable("cancel", 2_000_000); // a read of 0.6 s or more
        java.util.Set<Path> before = tempParquet();
        long started = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong firstTick = new java.util.concurrent.atomic.AtomicLong();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetCategory.of(resolved.config().category())
                .check(resolved.layout(), resolved.config(), (done, total) -> {
                    firstTick.compareAndSet(0, System.nanoTime());
                    throw new dev.ferry.core.run.RunCancelled("r1");
                })).isInstanceOf(dev.ferry.core.run.RunCancelled.class);
        long stoppedAfterTick = (System.nanoTime() - firstTick.get()) / 1_000_000;
        assertThat(firstTick.get()).as("it ticked").isPositive();
        assertThat(stoppedAfterTick).as("ms from the cancel to the end").isLessThan(300);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
        assertThat(Thread.getAllStackTraces().keySet()).as("the engine's thread ended")
                .noneMatch(t -> t.getName().equals("ferry-rows-engine") && t.isAlive());
        assertThat(tempParquet()).as("no file left behind").isEqualTo(before);
    }

    /** The Java checks stopped by their progress (past the rows they keep in memory) leave no spilled table either. */
    @Test
    void aCancelOfTheJavaChecksLeavesNoSpilledTable() throws Exception {
        ConfigResolver.Resolved resolved = largeTable("java-cancel", 3 * RowsTable.IN_MEMORY);
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, String.valueOf(Long.MAX_VALUE)); // the Java checks
        java.util.Set<Path> before = tempParquet();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetCategory.of(resolved.config().category())
                .check(resolved.layout(), resolved.config(), (done, total) -> {
                    if (done > 2 * RowsTable.IN_MEMORY) {
                        throw new dev.ferry.core.run.RunCancelled("r2");
                    }
                })).isInstanceOf(dev.ferry.core.run.RunCancelled.class);
        assertThat(tempParquet()).as("the spill is gone").isEqualTo(before);
    }

    private static java.util.Set<Path> tempParquet() throws java.io.IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            // the engine's Parquet files and the Java checks' spills
            return files.filter(p -> p.getFileName().toString().startsWith("ferry-rows-")).collect(java.util.stream.Collectors.toSet());
        }
    }

    /** The case's preflight (rows kept) by the Java checks alone, then with the engine taking what it can. */
    private Preflight.Result[] bothWays(Case c, String folder) {
        Path dir = tmp.resolve(folder);
        new DatasetBuilder(dir).bytes("labels.csv", c.csv());
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, String.valueOf(Long.MAX_VALUE));
        Preflight.Result java = Preflight.runKeepingRows(dir, null, c.flags());
        System.setProperty(EngineTableCheck.MIN_BYTES_PROPERTY, "0");
        return new Preflight.Result[] {java, Preflight.runKeepingRows(dir, null, c.flags())};
    }

    /** The rows as stored (the engine's own file, or the Java rows written as the ingestion writes them): types, then values. */
    private List<String> stored(RowsTable rows, Preflight.Result r, boolean withoutIds) throws Exception {
        Path file = rows.writtenFile();
        if (file == null) {
            file = tmp.resolve("java-" + (++n) + ".parquet");
            ParquetRows.write(rows.columns(), r.config().config().schema(), rows.rows(), file, tmp.resolve("scratch"));
        }
        List<String> out = new ArrayList<>();
        try (Connection c = ParquetRows.connect(tmp.resolve("scratch")); Statement s = c.createStatement()) {
            try (ResultSet t = s.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + ParquetRows.literal(file) + ")")) {
                while (t.next()) {
                    out.add(t.getString(1) + " " + t.getString(2));
                }
            }
            try (ResultSet v = s.executeQuery("SELECT * FROM read_parquet(" + ParquetRows.literal(file) + ")")) {
                int columns = v.getMetaData().getColumnCount();
                while (v.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = withoutIds ? 2 : 1; i <= columns; i++) {
                        Object value = v.getObject(i);
                        row.append(value == null ? "null" : value.getClass().getSimpleName() + ":" + value).append(" | ");
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }
}
