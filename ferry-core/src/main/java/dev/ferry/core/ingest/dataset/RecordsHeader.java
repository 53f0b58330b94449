package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.SqlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens the records file of a dataset and resolves the columns a category needs, reporting what is
 * wrong with the header: duplicates, missing columns, reserved names. Shared by every category.
 */
final class RecordsHeader {
    final RecordsSource source;
    final String name;
    private final List<String> columns;

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
                    + " there, or name the file with csv: or json: in the config)");
            return null;
        }
        try {
            RecordsSource source = config.records().format() == IngestConfig.Format.CSV
                    ? new CsvRecords(file, name, config.csv()) : new JsonRecords(file, name);
            RecordsHeader header = new RecordsHeader(source, name);
            return header.checkDuplicates(report) ? header : null;
        } catch (DatasetProblem e) {
            report.error(e.getMessage());
            return null;
        }
    }

    private boolean checkDuplicates(DatasetReport report) {
        Set<String> seen = new HashSet<>();
        boolean ok = true;
        for (String c : columns) {
            if (!seen.add(c)) {
                report.error(name + " has the column \"" + c + "\" more than once");
                ok = false;
            }
        }
        return ok;
    }

    /** The index of a column that must be named exactly so, or -1 after reporting it missing. */
    int exact(String column, DatasetReport report) {
        int i = columns.indexOf(column);
        if (i < 0) {
            report.error(name + " has no \"" + column + "\" column (columns: " + String.join(", ", columns) + ")");
        }
        return i;
    }

    /** The index of the label column, matched case- and whitespace-insensitively, or -1 after reporting. */
    int label(String wanted, DatasetReport report) {
        String key = normalize(wanted);
        for (int i = 0; i < columns.size(); i++) {
            if (normalize(columns.get(i)).equals(key)) {
                return i;
            }
        }
        report.error("label column \"" + wanted + "\" not found in " + name + " (columns: " + String.join(", ", columns)
                + ")");
        return -1;
    }

    /** The declared schema columns, each with its index (reported when missing). */
    Map<String, Integer> schemaColumns(IngestConfig config, DatasetReport report) {
        Map<String, Integer> found = new LinkedHashMap<>();
        for (String column : config.schema().keySet()) {
            int i = columns.indexOf(column);
            if (i < 0) {
                report.error("schema column \"" + column + "\" is not in " + name + " (columns: "
                        + String.join(", ", columns) + ")");
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
                report.offender("values of column \"" + e.getKey() + "\" that are not " + type.describe(),
                        r.where() + " \"" + value + "\" (" + problem + ")");
                ok = false;
            }
            values.put(e.getKey(), value);
        }
        return ok ? values : null;
    }

    /** Reports columns whose names the rows table reserves (they would be overwritten). */
    void refuseReserved(Set<String> reserved, int labelColumn, DatasetReport report) {
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            if (i != labelColumn && reserved.contains(c.toLowerCase(Locale.ROOT))) {
                report.error(name + " has a column named \"" + c + "\", which the rows table reserves; rename it");
            }
        }
    }

    /**
     * Visits every record, telling {@code progress} how many were read every
     * {@link RecordProgress#READ_INTERVAL} records; a records file that turns out malformed part-way
     * becomes a finding, and false is returned (the records seen before it are not enough to go on with).
     */
    boolean forEachRecord(java.util.function.Consumer<RecordsSource.Record> action, DatasetReport report,
            RecordProgress progress) {
        long[] read = {0};
        try {
            source.forEach(r -> {
                action.accept(r);
                if (++read[0] % RecordProgress.READ_INTERVAL == 0) {
                    progress.records(read[0], 0);
                }
            });
            return true;
        } catch (DatasetProblem e) {
            report.error(e.getMessage());
            return false;
        }
    }

    List<String> columns() {
        return columns;
    }

    private static String normalize(String s) {
        return s.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
