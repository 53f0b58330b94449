package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.IngestDefaults;
import dev.ferry.core.ingest.SqlType;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema of a records file that has none, from its values (reference ingest-v1.md §2): per
 * column, INT (or BIGINT) when every value is an integer, DOUBLE when every value is a number,
 * TIMESTAMP when every value is a date or date and time, else VARCHAR(255) (TEXT when a value is
 * longer). NA-like values do not count. Every column but the label is kept: none is dropped silently.
 */
public final class SchemaInference {
    private SchemaInference() {}

    private static final class Column {
        boolean integers = true;
        boolean numbers = true;
        boolean times = true;
        boolean wide = true;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int longest;
        long values;

        void see(String raw) {
            if (SqlType.isNa(raw)) {
                return;
            }
            String v = raw.trim();
            values++;
            longest = Math.max(longest, raw.length());
            if (integers) {
                try {
                    long n = Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
                    min = Math.min(min, n);
                    max = Math.max(max, n);
                } catch (NumberFormatException e) {
                    integers = false;
                }
            }
            if (numbers && !SqlType.isNumber(v)) {
                numbers = false;
            }
            if (times) {
                try {
                    SqlType.instant(v);
                } catch (DateTimeParseException e) {
                    times = false;
                }
            }
        }

        String type() {
            if (values == 0) return "VARCHAR(255)";
            if (integers) return min >= Integer.MIN_VALUE && max <= Integer.MAX_VALUE ? "INT" : "BIGINT";
            if (numbers) return "DOUBLE";
            if (times) return "TIMESTAMP";
            return longest <= 255 ? "VARCHAR(255)" : "TEXT";
        }
    }

    /**
     * The columns in file order with their types; empty when the file cannot be read (the checks say
     * why). {@code readAhead}: the rows engine checks the file next ({@link DatasetCategory#engineMayCheck}),
     * so it reads the file meanwhile ({@link EnginePreload}).
     */
    public static Map<String, String> infer(Path file, boolean json, String labelColumn, boolean readAhead) {
        // a push infers twice in one process (the command's check, then its run's): a file as it was is not read again
        dev.ferry.core.ingest.FileStamp stamp = dev.ferry.core.ingest.FileStamp.of(file);
        Inferred key = stamp == null ? null : new Inferred(file.toAbsolutePath().normalize(), stamp, json, labelColumn);
        if (key != null) {
            synchronized (RECENT) {
                Map<String, String> known = RECENT.get(key);
                if (known != null) {
                    return known;
                }
            }
        }
        Map<String, String> schema = read(file, json, labelColumn, readAhead);
        if (key != null) {
            synchronized (RECENT) {
                RECENT.put(key, schema);
            }
        }
        return schema;
    }

    /** The file, as stamped, and what was asked of it. */
    private record Inferred(Path file, dev.ferry.core.ingest.FileStamp stamp, boolean json, String labelColumn) {}

    /** The last few schemas inferred in this process. */
    private static final Map<Inferred, Map<String, String>> RECENT = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Inferred, Map<String, String>> eldest) {
            return size() > 4;
        }
    };

    private static Map<String, String> read(Path file, boolean json, String labelColumn, boolean readAhead) {
        IngestConfig.CsvOptions options = new IngestConfig.CsvOptions(IngestDefaults.CSV_DELIMITER,
                IngestDefaults.CSV_QUOTE, null, IngestDefaults.CSV_CHUNK_SIZE);
        String name = file.getFileName().toString();
        RecordsSource source;
        try {
            source = json ? new JsonRecords(file, name) : new CsvRecords(file, name, options);
        } catch (DatasetProblem e) {
            return Map.of();
        }
        List<String> names = source.columns();
        if (readAhead && !json) {
            // the check that follows reads the same file into the engine: that read runs meanwhile
            EnginePreload.start(file, names.size(), options);
        }
        Column[] columns = new Column[names.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new Column();
        }
        try {
            source.forEach(r -> {
                for (int i = 0; i < columns.length; i++) {
                    columns[i].see(r.value(i));
                }
            });
        } catch (DatasetProblem e) {
            return Map.of();
        }
        String label = labelColumn == null ? null : RecordsHeader.normalize(labelColumn);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i++) {
            String column = names.get(i);
            if (column.isBlank() || out.containsKey(column) || (label != null && RecordsHeader.normalize(column).equals(label))) {
                continue;
            }
            out.put(column, columns[i].type());
        }
        return out;
    }
}
