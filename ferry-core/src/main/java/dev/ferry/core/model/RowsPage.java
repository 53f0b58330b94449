package dev.ferry.core.model;

import java.util.List;

/**
 * A page of a version's rows: the columns asked for (all, in table order, when none were), the rows
 * {@code offset .. offset + rows.size()} in stored order as value lists in column order, and how many
 * rows the version has (that the filter keeps, with one).
 */
public record RowsPage(String table, String version, List<String> columns, long total, long offset, List<List<Object>> rows) {
    public RowsPage {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r))).toList();
    }

    /**
     * What to read: the rows {@code where} keeps (null: all; see RowFilter), these columns (empty: all),
     * from {@code offset}, at most {@code limit} rows.
     */
    public record Query(String where, List<String> columns, long offset, int limit) {
        /** The most rows one page holds: a client pages through larger tables. */
        public static final int MAX_LIMIT = 10_000;

        public Query {
            columns = columns == null ? List.of() : List.copyOf(columns);
            where = where == null || where.isBlank() ? null : where;
            if (offset < 0) {
                throw dev.ferry.core.error.FerryException.invalid("offset must be 0 or more, not " + offset, null);
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw dev.ferry.core.error.FerryException.invalid("a page holds 1 to " + MAX_LIMIT + " rows, not " + limit,
                        "page through larger tables with offset");
            }
        }

        public Query(List<String> columns, long offset, int limit) {
            this(null, columns, offset, limit);
        }
    }
}
