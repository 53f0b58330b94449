package dev.ferry.core.model;

import java.util.List;
import java.util.Map;

/**
 * How the rows of two versions of a table differ, record by record ({@code data_id}): how many were
 * added, removed, changed and left as they were; the columns only one version has; each change of
 * label (from, to, how many rows); and a page of the changes themselves, in the newer version's order
 * (removed rows last, in the older one's).
 */
public record RowsDiff(String table, String from, String to, long added, long removed, long changed, long unchanged,
        List<String> columnsAdded, List<String> columnsRemoved, List<LabelChange> labelChanges, long total, long offset,
        List<Change> changes) {
    public RowsDiff {
        columnsAdded = List.copyOf(columnsAdded);
        columnsRemoved = List.copyOf(columnsRemoved);
        labelChanges = List.copyOf(labelChanges);
        changes = List.copyOf(changes);
    }

    /** Rows whose label went from {@code from} to {@code to} (null: no label). */
    public record LabelChange(String from, String to, long rows) {}

    /**
     * One record that differs: its kind, id, the columns whose value changed (for a changed record),
     * and its values before and after (columns both versions have; null for the side it is missing from).
     */
    public record Change(Kind kind, String dataId, List<String> columns, Map<String, Object> before, Map<String, Object> after) {
        public Change {
            columns = List.copyOf(columns);
        }
    }

    public enum Kind {
        added, removed, changed
    }

    /** Which changes to list: of one kind (null: all), from {@code offset}, at most {@code limit}. */
    public record Query(Kind kind, long offset, int limit) {
        public static final int MAX_LIMIT = 10_000;

        public Query {
            if (offset < 0) {
                throw dev.ferry.core.error.FerryException.invalid("offset must be 0 or more, not " + offset, null);
            }
            if (limit < 0 || limit > MAX_LIMIT) {
                throw dev.ferry.core.error.FerryException.invalid("a page lists 0 to " + MAX_LIMIT + " changes, not " + limit,
                        "page through more with offset");
            }
        }

        /** A kind by its name, as a client writes it. */
        public static Kind kind(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return Kind.valueOf(text.trim());
            } catch (IllegalArgumentException e) {
                throw dev.ferry.core.error.FerryException.invalid("unknown kind of change '" + text + "'",
                        "use added, removed or changed");
            }
        }
    }
}
