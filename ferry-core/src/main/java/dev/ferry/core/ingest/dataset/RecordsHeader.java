package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.SqlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Opens the records file of a dataset and resolves the columns a category needs, reporting what is
 * wrong with the header: duplicates, missing columns, schema columns the rows table has already.
 * Then reads the records, refusing those with a cell no row can hold (a NUL, over the size limit).
 * Shared by every category.
 */
final class RecordsHeader {
    final RecordsSource source;
    final String name;
    private final List<String> columns;
    private long records;

    private RecordsHeader(RecordsSource source, String name) {
        this.source = source;
        this.name = name;
        this.columns = source.columns();
    }

    /** The records file, or null after reporting why it cannot be read. */
    static RecordsHeader open(Path dir, IngestConfig config, DatasetReport report) {
        String name = config.records().path();
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            report.error("records file " + name + " not found in " + dir + " (put a " + name
                    + " there, or name the file with csv: or json: in the config, --csv on the command line)");
            return null;
        }
        try {
            RecordsSource source = config.records().format() == IngestConfig.Format.CSV
                    ? new CsvRecords(file, name, config.csv()) : new JsonRecords(file, name);
            RecordsHeader header = new RecordsHeader(source, name);
            return header.checkColumns(report) ? header : null;
        } catch (DatasetProblem e) {
            report.error(e.getMessage());
            return null;
        }
    }

    private boolean checkColumns(DatasetReport report) {
        if (columns.isEmpty() || columns.stream().allMatch(String::isBlank)) {
            report.error(name + " has no header line (its first line must name the columns)");
            return false;
        }
        Set<String> seen = new HashSet<>();
        boolean ok = true;
        for (String c : columns) {
            if (!seen.add(c)) {
                report.error(name + " has the column " + Values.shown(c) + " more than once");
                ok = false;
            }
        }
        return ok;
    }

    /** The index of a column that must be named exactly so, or -1 after reporting it missing. */
    int exact(String column, DatasetReport report) {
        int i = columns.indexOf(column);
        if (i < 0) {
            report.error(name + " has no \"" + column + "\" column (columns: " + listed() + ")");
        }
        return i;
    }

    /** The index of a column matched ignoring case and surrounding spaces, or -1. */
    int loose(String wanted) {
        String key = normalize(wanted);
        for (int i = 0; i < columns.size(); i++) {
            if (normalize(columns.get(i)).equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the label column (matched ignoring case and surrounding spaces), or -1 after reporting. */
    int label(String wanted, String flagHint, DatasetReport report) {
        int i = loose(wanted);
        if (i < 0) {
            report.error("label column " + Values.shown(wanted) + " not found in " + name + " (columns: " + listed() + ")"
                    + (flagHint == null ? "" : "; " + flagHint));
        }
        return i;
    }

    /**
     * The declared schema columns that become row columns, each with its index (reported when
     * missing); the label column is only typed by the schema (the row's label holds it), and a schema
     * column named like a row column ({@code rowColumns}) is reported.
     */
    Map<String, Integer> schemaColumns(IngestConfig config, int labelColumn, Set<String> rowColumns,
            DatasetReport report) {
        Map<String, Integer> found = new LinkedHashMap<>();
        for (String column : config.schema().keySet()) {
            int i = columns.indexOf(column);
            if (i < 0) {
                report.error("schema column " + Values.shown(column) + " is not in " + name + " (columns: " + listed() + ")");
            } else if (i == labelColumn) {
                continue;
            } else if (rowColumns.contains(column.toLowerCase(Locale.ROOT))) {
                report.error(name + " has a column " + Values.shown(column) + ", which the rows table has too: rename it"
                        + " (or leave it out of the schema)");
            } else {
                found.put(column, i);
            }
        }
        return found;
    }

    /** A record's schema-column values, or null after reporting those that do not parse as their types. */
    static Map<String, String> schemaValues(RecordsSource.Record r, Map<String, Integer> columns,
            Map<String, SqlType> types, DatasetReport report) {
        Map<String, String> values = new HashMap<>();
        boolean ok = true;
        for (Map.Entry<String, Integer> e : columns.entrySet()) {
            String value = r.value(e.getValue());
            SqlType type = types.get(e.getKey());
            String problem = type.problem(value);
            if (problem != null) {
                report.offender("values of column " + Values.shown(e.getKey()) + " that are not " + type.describe(),
                        r.where() + " " + Values.shown(value) + " (" + problem + ")");
                ok = false;
            }
            values.put(e.getKey(), value);
        }
        return ok ? values : null;
    }

    /** The columns of the file that no row keeps (not in the schema, not read by the category). */
    List<String> unkept(Set<Integer> kept) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (!kept.contains(i) && !columns.get(i).isBlank()) {
                out.add(columns.get(i));
            }
        }
        return out;
    }

    /**
     * Visits every record whose cells a row can hold, telling {@code progress} how many were read
     * every {@link RecordProgress#READ_INTERVAL} records; a records file that turns out malformed
     * part-way becomes a finding, and false is returned (the records seen before it are not enough to
     * go on with).
     */
    boolean forEachRecord(Consumer<RecordsSource.Record> action, DatasetReport report, RecordProgress progress) {
        records = 0;
        try {
            source.forEach(r -> {
                records++;
                if (cellsFit(r, report)) {
                    action.accept(r);
                }
                if (records % RecordProgress.READ_INTERVAL == 0) {
                    progress.records(records, 0);
                }
            });
            return true;
        } catch (DatasetProblem e) {
            report.error(e.getMessage());
            return false;
        }
    }

    /** How many records {@link #forEachRecord} read (those refused for their cells too). */
    long records() {
        return records;
    }

    private boolean cellsFit(RecordsSource.Record r, DatasetReport report) {
        for (int i = 0; i < r.values().size(); i++) {
            String problem = Values.cellProblem(r.values().get(i));
            if (problem != null) {
                report.offender("rows with a cell no row can hold (a NUL character, or over " + String.format("%,d",
                        Values.MAX_CELL) + " characters)", r.where() + " column " + Values.shown(i < columns.size()
                        ? columns.get(i) : "#" + (i + 1)) + ": " + problem);
                return false;
            }
        }
        return true;
    }

    List<String> columns() {
        return columns;
    }

    private String listed() {
        List<String> shown = columns.stream().limit(20).map(c -> c.length() > 60 ? c.substring(0, 60) + "..." : c).toList();
        return String.join(", ", shown) + (columns.size() > 20 ? ", ... (" + columns.size() + " columns)" : "");
    }

    static String normalize(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
