package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.SqlType;
import dev.ferry.core.rows.ParquetRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The record checks of a large CSV table ({@link TableDataset}) run by the rows engine, its rows written
 * as Parquet in the same go: the CSV is read once by the engine instead of value by value in Java (a
 * million records checked and written in ~1 s instead of ~1.6 s warm, and without the Java path's JIT
 * warm-up on a cold server; bench/RESULTS.md).
 *
 * <p>The checks stay the Java ones: the engine may only ever answer "every record passes, and here
 * is what they make". Whatever it cannot vouch for exactly as the Java checks decide it — a value
 * outside the simple forms below, a CSV it reads differently or not at all, a label the Java rules
 * refuse — makes it decline, and {@link TableDataset} runs the Java checks, which write the report and
 * its messages. Labels are few, so they are checked by the Java rules themselves, once per distinct
 * value; schema values are checked by patterns that accept a subset of what {@link SqlType#problem}
 * accepts (plain decimals; dates and times in the ISO forms), and typed by casts that give the values
 * {@link ParquetRows} would store. {@code EngineTableCheckTest} holds both paths to the same outcome, and
 * {@code ParityCorpusTest} the reports of the corpus's tabular cases.
 */
final class EngineTableCheck {
    /** Records files smaller than this are checked in Java: the engine's set-up is not worth it there. */
    static final long MIN_BYTES = 256 * 1024;
    /** A system property that moves {@link #MIN_BYTES}: tests hold both paths to one outcome on small files. */
    static final String MIN_BYTES_PROPERTY = "ferry.rows-engine.min-bytes";
    /** More distinct labels than this (a label per record, say) are left to the Java checks. */
    private static final int MAX_LABELS = 100_000;
    /** Label keys that differ from their values ("007" is 7) up to this many are a CASE; more are joined. */
    private static final int MAX_CASES = 1_000;
    private static final Set<SqlType.Kind> KINDS = EnumSet.of(SqlType.Kind.STRING, SqlType.Kind.TINYINT,
            SqlType.Kind.SMALLINT, SqlType.Kind.MEDIUMINT, SqlType.Kind.INT, SqlType.Kind.BIGINT, SqlType.Kind.FLOAT,
            SqlType.Kind.DOUBLE, SqlType.Kind.BOOLEAN, SqlType.Kind.DECIMAL, SqlType.Kind.DATE, SqlType.Kind.DATETIME,
            SqlType.Kind.TIME);
    /** The NA-like values as a SQL list: exactly as written (values with spaces around are never vouched for). */
    static final String NA = SqlType.NA_VALUES.stream().sorted().map(EngineTableCheck::text)
            .collect(Collectors.joining(", ", "(", ")"));
    /** ISO dates with a four-digit year (their day checked by the engine's date cast too): what LocalDate.parse reads. */
    private static final String DATE = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])";
    /** ISO times of day: what LocalTime.parse reads, without the forms (a bare point, offsets) it is strict about. */
    private static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?";
    /** Whole numbers that fit a long whatever their digits: a longer one is left to the Java checks. */
    private static final String WHOLE = "'[+-]?[0-9]{1,18}'";
    /** Plain numbers both Java's parser and the engine's cast read (no inf, nan, spaces or hex). */
    private static final String PLAIN_NUMBER = "'[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?'";

    /** What the Java checks resolved from the header, and what the rows hold. */
    record Table(Path file, IngestConfig.CsvOptions csv, int columnCount, int labelColumn, boolean textLabels,
            boolean numericLabels, int labelsKept, Map<String, Integer> schemaColumns, Map<String, SqlType> types,
            IngestConfig.DataId dataId, int idColumn, String intent, List<String> rowColumns, boolean buildRows) {}

    /**
     * Every record passed. {@code labels}: the distinct label keys as the Java checks keep them;
     * {@code rows}: the table the engine wrote (null when only the report was wanted).
     */
    record Passed(long records, long unlabelled, Set<String> labels, RowsTable rows) {}

    private EngineTableCheck() {}

    /** Whether the engine can check this table at all (else it is not asked). */
    static boolean suits(Table t) {
        try {
            return t.csv().escape() == null && t.csv().quote() != t.csv().delimiter()
                    && t.types().values().stream().allMatch(type -> KINDS.contains(type.kind()))
                    && Files.size(t.file()) >= Long.getLong(MIN_BYTES_PROPERTY, MIN_BYTES);
        } catch (IOException e) {
            return false; // the Java checks report it
        }
    }

    /**
     * The outcome when every record passes, or null: the Java checks must decide (and report).
     * {@code progress} hears, as the Java checks' reports do, the records read (the engine's estimate,
     * as a count) and then checked; it may throw to stop the engine (a cancelled run).
     */
    static Passed check(Table t, RecordProgress progress) {
        Path scratch = Path.of(System.getProperty("java.io.tmpdir"));
        Path parquet = null;
        // read ahead while the schema was inferred (EnginePreload), else read now
        Connection preloaded = EnginePreload.take(t.file(), t.columnCount(), t.csv());
        try (Connection c = preloaded != null ? preloaded : ParquetRows.connect(scratch); Statement s = c.createStatement()) {
            WatchedStatement watched = new WatchedStatement(s);
            boolean hashed = t.buildRows() && t.dataId().strategy() == IngestConfig.DataIdStrategy.CONTENT_HASH;
            if (preloaded == null) {
                String read = readTable(t.file(), t.columnCount(), t.csv().delimiter(), t.csv().quote(), hashed);
                watched.run(() -> s.execute(read), (done, expected) -> progress.records(done, 0));
            }
            Map<String, String> keys = t.labelColumn() >= 0 ? labelKeys(s, t) : Map.of();
            if (keys == null) {
                return null;
            }
            Set<String> labels = new TreeSet<>();
            keys.values().stream().filter(java.util.Objects::nonNull).sorted().distinct().limit(t.labelsKept())
                    .forEach(labels::add);
            String label = t.labelColumn() >= 0 ? column(t.labelColumn()) : null;
            String naLabels = naLabels(keys);
            long records;
            long unlabelled;
            boolean repeats;
            long[] verdict = new long[5];
            String checks = "SELECT count(*), count(*) FILTER (WHERE NOT (" + passes(t) + ")), "
                    + (label == null ? "0" : "count(*) FILTER (WHERE " + label + " IS NULL OR " + label + " IN "
                    + naLabels + ")") + ", " + (t.idColumn() >= 0 ? "count(DISTINCT coalesce(" + column(t.idColumn())
                    + ", ''))" : "count(*)") + ", " + (hashed ? "count(DISTINCT content_hash)" : "count(*)") + " FROM r";
            watched.run(() -> {
                try (ResultSet r = s.executeQuery(checks)) {
                    r.next();
                    for (int i = 0; i < verdict.length; i++) {
                        verdict[i] = r.getLong(i + 1);
                    }
                }
            }, progress::records);
            records = verdict[0];
            if (verdict[1] > 0 || verdict[3] != records) {
                return null; // a value the patterns do not vouch for, or a repeated id: the Java checks say which
            }
            unlabelled = verdict[2];
            repeats = verdict[4] != records;
            if (!t.buildRows()) {
                return new Passed(records, unlabelled, labels, null);
            }
            if (records > Integer.MAX_VALUE) {
                return null;
            }
            Map<String, String> mapped = new HashMap<>();
            keys.forEach((raw, key) -> {
                if (key != null && !key.equals(raw)) {
                    mapped.put(raw, key);
                }
            });
            boolean joined = mapped.size() > MAX_CASES;
            if (joined) {
                s.execute("CREATE TEMP TABLE label_keys (raw VARCHAR, label_key VARCHAR)");
                try (PreparedStatement p = c.prepareStatement("INSERT INTO label_keys VALUES (?, ?)")) {
                    for (Map.Entry<String, String> e : mapped.entrySet()) {
                        p.setString(1, e.getKey());
                        p.setString(2, e.getValue());
                        p.addBatch();
                    }
                    p.executeBatch();
                }
            }
            parquet = Files.createTempFile(scratch, "ferry-rows-", ".parquet");
            Files.delete(parquet); // the engine makes the file
            if (!repeats && !joined) {
                // A plain scan written by two threads may put its row groups out of order, insertion order kept
                // or not (seen with 300,000 rows: the file began at record 122,880); one thread writes them in
                // order, at the cost of a sort's time and memory it saves (1M rows: 0.46 s, with a sort 0.7–1 s).
                s.execute("SET threads = 1");
            }
            String rowsQuery = rowsQuery(t, label, naLabels, mapped, joined, repeats);
            Path out = parquet;
            // every record is checked: the write is the last step of that (and may still be stopped)
            watched.run(() -> ParquetRows.copy(s, rowsQuery, out), (done, expected) -> progress.records(records, records));
            Passed passed = new Passed(records, unlabelled, labels,
                    RowsTable.written(t.rowColumns(), parquet, (int) records));
            parquet = null;
            return passed;
        } catch (SQLException e) {
            return null; // the engine could not read the file as a CSV: the Java checks find what is wrong with it
        } catch (IOException e) {
            return null; // no room for the engine's file: the Java checks spill where they can
        } finally {
            if (parquet != null) {
                try {
                    Files.deleteIfExists(parquet);
                } catch (IOException ignored) {
                    // a temporary file: the system's clean-up takes it
                }
            }
        }
    }

    /**
     * Each distinct label value with its key as the Java checks make it (null: NA-like, no label), or
     * null when one of them would be refused — or there are too many to check one by one.
     */
    private static Map<String, String> labelKeys(Statement s, Table t) throws SQLException {
        Map<String, String> keys = new HashMap<>();
        String label = column(t.labelColumn());
        try (ResultSet r = s.executeQuery("SELECT DISTINCT coalesce(" + label + ", '') FROM r LIMIT " + (MAX_LABELS + 1))) {
            while (r.next()) {
                if (keys.size() == MAX_LABELS) {
                    return null;
                }
                String raw = r.getString(1);
                if (SqlType.isNa(raw)) {
                    keys.put(raw, null);
                    continue;
                }
                if (Values.nameProblem(raw.strip(), Values.MAX_LABEL) != null || (t.numericLabels() && !SqlType.isNumber(raw))) {
                    return null;
                }
                keys.put(raw, TableDataset.labelKey(raw, t.textLabels()));
            }
        }
        return keys;
    }

    /** The NA-like label values found, as a SQL list (never empty: the empty value stands in). */
    private static String naLabels(Map<String, String> keys) {
        List<String> na = new ArrayList<>(List.of(""));
        keys.forEach((raw, key) -> {
            if (key == null) {
                na.add(raw);
            }
        });
        return na.stream().map(EngineTableCheck::text).collect(Collectors.joining(", ", "(", ")"));
    }

    /** A record the patterns vouch for: every cell fits a row (no NUL, not too long), every schema value parses. */
    private static String passes(Table t) {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < t.columnCount(); i++) {
            String c = column(i);
            // bytes bound characters from above: a cell the bound refuses may still fit, and goes to the Java checks
            terms.add("(" + c + " IS NULL OR (strlen(" + c + ") <= " + Values.MAX_CELL + " AND NOT contains(" + c
                    + ", chr(0))))");
        }
        t.schemaColumns().forEach((name, i) -> terms.add(parses(column(i), t.types().get(name))));
        return terms.isEmpty() ? "true" : String.join(" AND ", terms);
    }

    /** A value the Java checks accept as {@code type}, in a form the cast below reads the same (a subset of them). */
    static String parses(String c, SqlType type) {
        String nul = c + " IS NULL OR " + c + " IN " + NA + " OR ";
        // null (a cast that failed) counts as not vouched for
        return "coalesce((" + switch (type.kind()) {
            case STRING -> type.length() == 0 ? "true" : c + " IS NULL OR strlen(" + c + ") <= " + type.length();
            case TINYINT -> nul + whole(c, -128, 127);
            case SMALLINT -> nul + whole(c, -32768, 32767);
            case MEDIUMINT -> nul + whole(c, -8388608, 8388607);
            case INT -> nul + whole(c, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT -> nul + "regexp_full_match(" + c + ", " + WHOLE + ")";
            case DOUBLE -> nul + "(regexp_full_match(" + c + ", " + PLAIN_NUMBER + ") AND isfinite(TRY_CAST(" + c + " AS DOUBLE)))";
            case FLOAT -> nul + "(regexp_full_match(" + c + ", " + PLAIN_NUMBER + ") AND isfinite(TRY_CAST(TRY_CAST(" + c
                    + " AS DOUBLE) AS FLOAT)))";
            case BOOLEAN -> nul + "regexp_full_match(" + c + ", '(?i)true|t|yes|y|1|false|f|no|n|0')";
            // a date, or a date and time of day (SqlType.instant reads a space as the ISO 'T'); offsets are left to Java
            case DATE -> nul + "(regexp_full_match(" + c + ", '" + DATE + "') AND TRY_CAST(" + c + " AS DATE) IS NOT NULL)";
            case DATETIME -> nul + "(regexp_full_match(" + c + ", '" + DATE + "([ T]" + TIME + ")?') AND TRY_CAST(left(" + c
                    + ", 10) AS DATE) IS NOT NULL)";
            case TIME -> nul + "regexp_full_match(" + c + ", '" + TIME + "')";
            case DECIMAL -> nul + decimal(c, type);
            default -> throw new IllegalArgumentException("not a type the engine checks: " + type.describe());
        } + "), false)";
    }

    /**
     * A plain decimal ({@code [+-]digits[.digits]}) within DECIMAL(p,s): at most s digits after the point
     * as written, and at most p - s before it once leading zeros go — counted as one digit when none is
     * left, which is BigDecimal's count for a whole zero and one more than its count otherwise (so such a
     * value may be left to the Java checks, never let through wrongly).
     */
    private static String decimal(String c, SqlType type) {
        String plain = "regexp_full_match(" + c + ", '[+-]?[0-9]+(\\.[0-9]+)?')";
        if (type.precision() == 0) {
            return "(" + plain + ")";
        }
        String unsigned = "ltrim(" + c + ", '+-')";
        return "(" + plain + " AND length(split_part(" + unsigned + ", '.', 2)) <= " + type.scale()
                + " AND greatest(length(ltrim(split_part(" + unsigned + ", '.', 1), '0')), 1) <= "
                + (type.precision() - type.scale()) + ")";
    }

    private static String whole(String c, long min, long max) {
        return "(regexp_full_match(" + c + ", " + WHOLE + ") AND TRY_CAST(" + c + " AS BIGINT) BETWEEN " + min + " AND " + max + ")";
    }

    /** A value passed by {@link #parses} as it is stored: what {@link ParquetRows} makes of it. */
    static String stored(String c, SqlType type) {
        String sql = ParquetRows.storedType(type);
        String nul = "CASE WHEN " + c + " IS NULL OR " + c + " IN " + NA + " THEN NULL ELSE ";
        return switch (type.kind()) {
            // text as written (decimals, dates and times too: they are stored as text); an empty value is empty text
            case STRING, DECIMAL, DATE, DATETIME, TIME -> "coalesce(" + c + ", '')";
            case FLOAT -> nul + "CAST(CAST(" + c + " AS DOUBLE) AS FLOAT) END"; // Java parses a double, then narrows
            case BOOLEAN -> nul + "lower(" + c + ") IN ('true', 't', 'yes', 'y', '1') END";
            default -> nul + "CAST(" + c + " AS " + sql + ") END";
        };
    }

    /**
     * The rows table, in record order: the same columns, types and values as the Java checks' rows make.
     * A window (numbering repeated records) or a join (many label keys) is sorted back by each record's
     * place; a plain scan is written by one thread (see {@link #check}).
     */
    private static String rowsQuery(Table t, String label, String naLabels, Map<String, String> mapped, boolean joined,
            boolean repeats) {
        List<String> out = new ArrayList<>();
        out.add(switch (t.dataId().strategy()) {
            // the n-th repeat of a record's values hashes the first's id with "#n", as DataIds does
            case CONTENT_HASH -> repeats ? "CASE WHEN nth = 0 THEN content_hash ELSE left(sha256(content_hash || '#' || nth), "
                    + DataIds.VALUES_ID_DIGITS + ") END" : "content_hash";
            case UUID -> "CAST(gen_random_uuid() AS VARCHAR)";
            case COLUMN -> "coalesce(" + column(t.idColumn()) + ", '')";
        });
        out.add("CAST(NULL AS VARCHAR)");
        out.add("CAST(NULL AS VARCHAR)");
        out.add(label == null ? "CAST(NULL AS VARCHAR)" : labelKey(label, naLabels, mapped, joined));
        out.add(text(t.intent()));
        t.schemaColumns().forEach((name, i) -> out.add(stored(column(i), t.types().get(name))));
        if (out.size() != t.rowColumns().size()) {
            throw new IllegalStateException("rows columns " + t.rowColumns() + " for " + out.size() + " values");
        }
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < out.size(); i++) {
            select.append(i == 0 ? "" : ", ").append(out.get(i)).append(" AS ").append(ParquetRows.quoted(t.rowColumns().get(i)));
        }
        if (!repeats && !joined) {
            return select.append(" FROM r").toString();
        }
        select.append(" FROM ").append(repeats
                ? "(SELECT *, row_number() OVER (PARTITION BY content_hash ORDER BY record_at) - 1 AS nth FROM "
                        + "(SELECT r.rowid AS record_at, r.* FROM r)) r"
                : "(SELECT r.rowid AS record_at, r.* FROM r) r");
        if (joined) {
            select.append(" LEFT JOIN label_keys ON r.").append(label).append(" = label_keys.raw");
        }
        return select.append(" ORDER BY r.record_at").toString();
    }

    /**
     * A record's label key: null for the NA-like values found ({@code naLabels}: as the Java rules judged
     * them, spaces around included), the key the Java checks made where it differs from the value.
     */
    private static String labelKey(String label, String naLabels, Map<String, String> mapped, boolean joined) {
        StringBuilder key = new StringBuilder("CASE WHEN " + label + " IS NULL OR " + label + " IN " + naLabels + " THEN NULL");
        if (joined) {
            key.append(" WHEN label_keys.label_key IS NOT NULL THEN label_keys.label_key");
        } else {
            mapped.forEach((raw, k) -> key.append(" WHEN ").append(label).append(" = ").append(text(raw)).append(" THEN ")
                    .append(text(k)));
        }
        return key.append(" ELSE ").append(label).append(" END").toString();
    }

    /** The id DataIds makes of a record's values: the first digits of the SHA-256 of the values, unit-separated. */
    /**
     * The statement that reads a records file into table {@code r}: its values as {@link #readCsv}
     * reads them, and if {@code hashed} each record's content_hash (the id a content_hash data_id gives
     * it; a table read ahead has it whatever the data_id, unused then).
     */
    static String readTable(Path file, int columns, char delimiter, char quote, boolean hashed) {
        return "CREATE TEMP TABLE r AS SELECT *" + (hashed ? ", " + contentHash(columns) + " AS content_hash" : "")
                + " FROM " + readCsv(file, columns, delimiter, quote);
    }

    private static String contentHash(int columns) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            values.add("coalesce(" + column(i) + ", '')");
        }
        return "left(sha256(concat_ws(chr(31), " + String.join(", ", values) + ")), " + DataIds.VALUES_ID_DIGITS + ")";
    }

    /**
     * The engine's read of a CSV records file as Commons CSV reads it for the checks: every value text
     * (columns c0, c1, …; an empty value is null), the header skipped, blank lines skipped, and any
     * record it would read differently — short or long of columns, a quote out of place, not UTF-8 — an
     * error instead (strict), which leaves the file to the Java checks.
     */
    static String readCsv(Path file, int columns, char delimiter, char quote) {
        StringBuilder types = new StringBuilder("{");
        for (int i = 0; i < columns; i++) {
            types.append(i == 0 ? "" : ", ").append('\'').append(column(i)).append("': 'VARCHAR'");
        }
        return "read_csv(" + ParquetRows.literal(file) + ", header = true, auto_detect = false, columns = " + types
                + "}, delim = " + text(delimiter) + ", quote = " + text(quote) + ", escape = " + text(quote)
                + ", strict_mode = true, null_padding = false, ignore_errors = false)";
    }

    static String column(int i) {
        return "c" + i;
    }

    private static String text(char c) {
        return text(String.valueOf(c));
    }

    private static String text(String s) {
        return ParquetRows.literal(s);
    }
}
