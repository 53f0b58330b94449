package dev.ferry.core.ingest.dataset;

import dev.ferry.core.model.Digest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The records an ingestion produces: fixed leading columns, then the category's, then the declared
 * schema columns. Each row remembers the files of the dataset folder it was built from (its image or
 * text, then sidecars such as its annotation or mask), and the digest of the first as the checks read
 * it: the ingestion keeps only rows whose files the stored version holds as they were checked.
 */
public final class RowsTable {
    public static final List<String> BASE_COLUMNS = List.of("data_id", "filename", "extension", "label", "data_intent");

    /** One row: its values (in column order), the files it was built from, and the first file's digest (or null). */
    public record Row(List<Object> values, List<String> files, Digest firstFileDigest) {}

    private final List<String> columns;
    private final List<Row> rows = new ArrayList<>();

    public RowsTable(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** A row built from the records file alone (one-file categories). */
    public synchronized void add(List<Object> values) {
        add(values, List.of(), null);
    }

    public synchronized void add(List<Object> values, List<String> files, Digest firstFileDigest) {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException("row has " + values.size() + " values for " + columns.size() + " columns");
        }
        rows.add(new Row(Collections.unmodifiableList(new ArrayList<>(values)), List.copyOf(files), firstFileDigest));
    }

    public List<String> columns() {
        return columns;
    }

    /** The rows' values. */
    public synchronized List<List<Object>> rows() {
        return rows.stream().map(Row::values).toList();
    }

    /** The rows with the files they were built from. */
    public synchronized List<Row> entries() {
        return List.copyOf(rows);
    }

    public synchronized int size() {
        return rows.size();
    }
}
