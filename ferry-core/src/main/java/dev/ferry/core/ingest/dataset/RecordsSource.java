package dev.ferry.core.ingest.dataset;

import java.util.List;
import java.util.function.Consumer;

/** The records of a dataset (a CSV or JSON file), read one at a time, with where each came from. */
public interface RecordsSource {
    /** Column names in file order (for JSON: the keys, in order of first appearance). */
    List<String> columns();

    /** Each record, in order; {@link Record#values} follow {@link #columns()} (null when absent). */
    void forEach(Consumer<Record> action);

    /** One record: its 1-based number among the data rows, the line it starts on, its values. */
    record Record(long number, long line, List<String> values) {
        public String value(int column) {
            return column < values.size() ? values.get(column) : null;
        }

        /** "row 12 (line 13)" for messages. */
        public String where() {
            return "row " + number + " (line " + line + ")";
        }
    }
}
