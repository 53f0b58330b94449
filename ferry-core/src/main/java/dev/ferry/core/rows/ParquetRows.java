package dev.ferry.core.rows;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.ingest.SqlType;
import dev.ferry.core.model.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A rows table as it is stored: one Parquet file ({@value #FILE}) — typed columns, ZSTD, row groups of
 * {@value #ROW_GROUP} rows with column statistics — written and read with DuckDB (the rows engine,
 * chosen by measurement: bench/RESULTS.md). Columns the config's schema types get that type (their
 * values passed the checks as such); NA-like and empty values are nulls there. Other columns are typed
 * by what their values are (whole numbers, numbers, booleans), else text; lists and objects are JSON text.
 */
public final class ParquetRows {
    /** The name of the rows table's one file in its manifest (tables from before it are {@code rows.jsonl}). */
    public static final String FILE = "rows.parquet";
    static final int ROW_GROUP = 100_000;

    private ParquetRows() {}

    /** Rows read in order, as often as asked (a table that spilled to disk reads its file each time). */
    @FunctionalInterface
    public interface Rows {
        void forEach(java.util.function.Consumer<List<Object>> each);
    }

    /** Writes {@code rows} (values in {@code columns} order) to {@code out} as Parquet. */
    public static void write(List<String> columns, Map<String, SqlType> schema, List<List<Object>> rows, Path out,
            Path scratch) throws IOException {
        write(columns, schema, rows::forEach, out, scratch);
    }

    /**
     * Writes {@code rows} to {@code out} as Parquet, reading them twice: once to type the columns, once
     * to write each value as its type's plain text to a scratch CSV file, which the engine reads with
     * those types (no guessing) and copies to Parquet. Through a file rather than value by value: a
     * million rows of nine columns are nine million calls into the engine the other way (the whole write
     * of such a table took 3.0 s so, 1.85 s this way, measured in one thread).
     */
    public static void write(List<String> columns, Map<String, SqlType> schema, Rows rows, Path out, Path scratch)
            throws IOException {
        List<ColumnTyper> typers = new ArrayList<>();
        for (String column : columns) {
            typers.add(new ColumnTyper(schema.get(column)));
        }
        rows.forEach(row -> {
            for (int i = 0; i < typers.size(); i++) {
                typers.get(i).see(row.get(i));
            }
        });
        List<ColumnType> types = typers.stream().map(ColumnTyper::type).toList();
        Path csv = Files.createTempFile(Files.createDirectories(scratch), "rows-", ".csv");
        try {
            try (java.io.Writer w = Files.newBufferedWriter(csv, java.nio.charset.StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder(256);
                rows.forEach(row -> {
                    line.setLength(0);
                    for (int i = 0; i < columns.size(); i++) {
                        if (i > 0) {
                            line.append(',');
                        }
                        quote(line, plain(types.get(i), row.get(i), schema.get(columns.get(i))));
                    }
                    try {
                        w.append(line.append('\n'));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            StringBuilder read = new StringBuilder("SELECT ");
            StringBuilder struct = new StringBuilder("{");
            for (int i = 0; i < columns.size(); i++) {
                read.append(i == 0 ? "" : ", ").append("c").append(i).append(" AS ").append(quoted(columns.get(i)));
                struct.append(i == 0 ? "" : ", ").append("'c").append(i).append("': '").append(types.get(i).sql).append("'");
            }
            read.append(" FROM read_csv(").append(literal(csv)).append(", columns = ").append(struct.append('}'))
                    .append(", header = false, delim = ',', quote = '\"', escape = '\"', nullstr = '").append(NULL_TEXT)
                    .append("', allow_quoted_nulls = false, auto_detect = false, strict_mode = true)");
            try (Connection c = connect(scratch); Statement s = c.createStatement()) {
                copy(s, read.toString(), out);
            } catch (SQLException e) {
                throw new IOException("cannot write the rows table as Parquet: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /**
     * Writes what {@code select} returns to {@code out} as a stored rows table is written: ZSTD, row
     * groups of {@value #ROW_GROUP}, Parquet's version 2 pages and encodings (delta-coded integers and
     * strings: a 1M-row table 21.1 → 19.6 MB, and its write 0.53 → 0.43 s, measured in one process).
     */
    public static void copy(Statement s, String select, Path out) throws SQLException {
        s.execute("COPY (" + select + ") TO " + literal(out) + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE "
                + ROW_GROUP + ", PARQUET_VERSION V2)");
    }

    /** The scratch file's null: unquoted; a text value that reads the same is written quoted, and stays text. */
    private static final String NULL_TEXT = "\\N";

    /**
     * RFC 4180 with every value quoted (its quotes doubled) and null as the unquoted {@link #NULL_TEXT}:
     * nothing in a value — commas, line breaks, quotes, a text "\\N" — can be read back as anything else.
     */
    private static void quote(StringBuilder line, String value) {
        if (value == null) {
            line.append(NULL_TEXT);
            return;
        }
        line.append('"');
        if (value.indexOf('"') < 0) {
            line.append(value);
        } else {
            line.append(value.replace("\"", "\"\""));
        }
        line.append('"');
    }

    /** A value as the plain text its column's type reads back: numbers in Java's notation, booleans as true/false. */
    private static String plain(ColumnType type, Object value, SqlType declared) {
        Object v = declared != null && type != ColumnType.TEXT ? typed(value, type, declared) : value;
        if (v == null) {
            return null;
        }
        return switch (type) {
            case INTEGER, BIGINT -> String.valueOf(((Number) v).longValue());
            case FLOAT -> floatText(((Number) v).floatValue());
            case DOUBLE -> doubleText(((Number) v).doubleValue());
            case BOOLEAN -> String.valueOf((boolean) (Boolean) v);
            case TEXT -> text(v);
        };
    }

    private static String floatText(float f) {
        return Float.isNaN(f) ? "nan" : Float.isInfinite(f) ? (f > 0 ? "inf" : "-inf") : Float.toString(f);
    }

    private static String doubleText(double d) {
        return Double.isNaN(d) ? "nan" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : Double.toString(d);
    }

    /** The rows of a Parquet table file as JSON Lines (one object per row, in column order). */
    public static void copyAsJsonLines(Path parquet, OutputStream out, Path scratch) throws IOException {
        Path json = Files.createTempFile(Files.createDirectories(scratch), "rows-", ".jsonl");
        try {
            query(parquet, scratch, (c, source) -> {
                try (Statement s = c.createStatement()) {
                    s.execute("COPY (SELECT * FROM " + source + ") TO " + literal(json) + " (FORMAT json)");
                }
                return null;
            });
            Files.copy(json, out);
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATA_CORRUPT, "cannot read the stored rows table: " + e.getMessage(),
                    "run 'ferry fsck'", e);
        } finally {
            Files.deleteIfExists(json);
        }
    }

    /** A query of a table file: {@code source} is the SQL that reads it ({@code read_parquet('…')}). */
    @FunctionalInterface
    interface Query<T> {
        T run(Connection c, String source) throws SQLException, IOException;
    }

    /** Runs {@code query} over a Parquet table file (a {@link dev.ferry.core.home.FileCache} file: the engine reads files). */
    static <T> T query(Path parquet, Path scratch, Query<T> query) throws IOException, SQLException {
        try (Connection c = connect(scratch)) {
            return query.run(c, "read_parquet(" + literal(parquet) + ")");
        }
    }

    /**
     * Loads the engine (its native library, ~0.2 s the first time in a process) so that a server's first
     * query does not pay for it; for a background thread at start. Failures are left to that query.
     */
    public static void warmUp() {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException | RuntimeException | LinkageError e) {
            // the first real query reports it
        }
    }

    /**
     * An in-memory DuckDB with bounds a server can live with: two threads, 256 MB of memory (spilling
     * to {@code scratch} beyond it), rows kept in the order they were added.
     */
    public static Connection connect(Path scratch) throws SQLException {
        try {
            // the engine makes its spill folder when a query first needs it, but not the folders above it
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new SQLException("cannot create the engine's scratch folder " + scratch + ": " + e.getMessage(), e);
        }
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("SET threads = 2");
            s.execute("SET memory_limit = '256MB'");
            s.execute("SET temp_directory = " + literal(scratch.resolve("duckdb-spill")));
            s.execute("SET preserve_insertion_order = true");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** How a column is stored. */
    enum ColumnType {
        INTEGER("INTEGER"), BIGINT("BIGINT"), FLOAT("FLOAT"), DOUBLE("DOUBLE"), BOOLEAN("BOOLEAN"), TEXT("VARCHAR");

        final String sql;

        ColumnType(String sql) {
            this.sql = sql;
        }
    }

    /** How a schema column is stored when every value parses as its declared type. */
    static ColumnType storedAs(SqlType declared) {
        return switch (declared.kind()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT -> ColumnType.INTEGER;
            case BIGINT -> ColumnType.BIGINT;
            case FLOAT -> ColumnType.FLOAT;
            case DOUBLE -> ColumnType.DOUBLE;
            case BOOLEAN -> ColumnType.BOOLEAN;
            default -> ColumnType.TEXT;
        };
    }

    /** The engine's name of the type a schema column is stored as when every value parses as its type. */
    public static String storedType(SqlType declared) {
        return storedAs(declared).sql;
    }

    /**
     * How a column is stored, decided from every value: a schema column gets its declared type unless a
     * value does not parse as it (the checks let it through some other way: kept as written, as text);
     * another column is whole numbers, numbers or booleans if all its values are, else text.
     */
    private static final class ColumnTyper {
        private final SqlType declared;
        private final ColumnType wanted;
        private boolean fits = true;
        private boolean whole = true;
        private boolean number = true;
        private boolean bool = true;
        private boolean any;

        ColumnTyper(SqlType declared) {
            this.declared = declared;
            this.wanted = declared == null ? null : storedAs(declared);
        }

        void see(Object v) {
            if (wanted != null) {
                if (fits && wanted != ColumnType.TEXT) {
                    try {
                        typed(v, wanted, declared);
                    } catch (RuntimeException notThatType) {
                        fits = false;
                    }
                }
                return;
            }
            if (v == null) {
                return;
            }
            any = true;
            whole &= v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
            number &= v instanceof Number;
            bool &= v instanceof Boolean;
        }

        ColumnType type() {
            if (wanted != null) {
                return fits ? wanted : ColumnType.TEXT;
            }
            return !any ? ColumnType.TEXT : whole ? ColumnType.BIGINT : number ? ColumnType.DOUBLE
                    : bool ? ColumnType.BOOLEAN : ColumnType.TEXT;
        }
    }

    /** A schema column's value as its type: NA-like and empty text are null (the checks let them through as such). */
    static Object typed(Object value, ColumnType type, SqlType declared) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String raw)) {
            return value;
        }
        String text = raw.trim();
        if (text.isEmpty() || (!declared.isText() && SqlType.isNa(text))) {
            return null;
        }
        String unsigned = text.startsWith("+") ? text.substring(1) : text;
        return switch (type) {
            case INTEGER -> Integer.parseInt(unsigned);
            case BIGINT -> Long.parseLong(unsigned);
            case FLOAT -> number(text).floatValue();
            case DOUBLE -> number(text);
            case BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "t", "yes", "y", "1" -> true;
                default -> false;
            };
            case TEXT -> raw;
        };
    }

    private static Double number(String text) {
        Double d = SqlType.number(text);
        if (d == null) {
            throw new NumberFormatException(text); // never stored as null: the column is kept as text instead
        }
        return d;
    }

    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        try {
            return Json.MAPPER.writeValueAsString(v); // lists, objects: as JSON
        } catch (JsonProcessingException e) {
            return String.valueOf(v);
        }
    }

    public static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    public static String literal(Path path) {
        return literal(path.toAbsolutePath().toString());
    }

    /** A text as a SQL string literal (its quotes doubled). */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
