package dev.ferry.core.model;

import java.util.List;

/**
 * What a version's rows hold, computed from its stored table without loading it: the row count, each
 * column's type, nulls, distinct values and range, and the label histogram (most frequent first).
 */
public record DatasetStats(String table, String version, long rows, List<Column> columns, List<LabelCount> labels) {
    public DatasetStats {
        columns = List.copyOf(columns);
        labels = List.copyOf(labels);
    }

    /** One column: its stored type, how many rows have no value, how many distinct values, min and max as text. */
    public record Column(String name, String type, long nulls, long distinct, String min, String max) {}

    /** A label and how many rows carry it. */
    public record LabelCount(String label, long rows) {}
}
