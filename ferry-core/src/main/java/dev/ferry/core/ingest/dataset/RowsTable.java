package dev.ferry.core.ingest.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The records an ingestion produces: fixed leading columns, then the declared schema columns. */
public final class RowsTable {
    public static final List<String> BASE_COLUMNS = List.of("data_id", "filename", "extension", "label", "data_intent");

    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    public RowsTable(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    public synchronized void add(List<Object> row) {
        if (row.size() != columns.size()) {
            throw new IllegalArgumentException("row has " + row.size() + " values for " + columns.size() + " columns");
        }
        rows.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }

    public List<String> columns() {
        return columns;
    }

    public synchronized List<List<Object>> rows() {
        return List.copyOf(rows);
    }

    public synchronized int size() {
        return rows.size();
    }
}
