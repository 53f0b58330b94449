package dev.ferry.core.rows;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.RowsPage;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of a stored Parquet table: DuckDB reads only the asked columns of the row groups the page
 * falls in. Column names are checked against the table's and quoted, a filter is written again from a
 * whitelist ({@link RowFilter}), offset, limit and the filter's values are bound: nothing a client sends
 * becomes SQL text.
 */
public final class RowsPages {
    private RowsPages() {}

    private static int bind(PreparedStatement s, List<Object> values, int first) throws SQLException {
        int at = first;
        for (Object v : values) {
            s.setObject(at++, v);
        }
        return at;
    }

    public static RowsPage read(String table, String version, List<String> tableColumns, RowsPage.Query query,
            Path parquet, Path scratch) throws IOException {
        List<String> columns = query.columns().isEmpty() ? tableColumns : query.columns();
        for (String c : columns) {
            if (!tableColumns.contains(c)) {
                throw FerryException.invalid("table '" + table + "' has no column '" + c + "'",
                        "its columns: " + String.join(", ", tableColumns));
            }
        }
        RowFilter filter = query.where() == null ? null : RowFilter.parse(query.where(), tableColumns);
        String where = filter == null ? "" : " WHERE " + filter.sql();
        List<Object> bound = filter == null ? List.of() : filter.parameters();
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            select.append(i == 0 ? "" : ", ").append('"').append(columns.get(i).replace("\"", "\"\"")).append('"');
        }
        try {
            return ParquetRows.query(parquet, scratch, (c, source) -> {
                long total;
                try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + source + where)) {
                    bind(s, bound, 1);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        total = r.getLong(1);
                    }
                }
                List<List<Object>> rows = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(select + " FROM " + source + where + " LIMIT ? OFFSET ?")) {
                    int next = bind(s, bound, 1);
                    s.setInt(next, query.limit());
                    s.setLong(next + 1, query.offset());
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            List<Object> row = new ArrayList<>(columns.size());
                            for (int i = 1; i <= columns.size(); i++) {
                                row.add(r.getObject(i));
                            }
                            rows.add(row);
                        }
                    }
                }
                return new RowsPage(table, version, columns, total, query.offset(), rows);
            });
        } catch (SQLException e) {
            if (filter != null) {
                // a filter the engine cannot apply (a text compared with a number column, say)
                throw FerryException.invalid("the filter '" + query.where() + "' does not apply to this table: "
                        + e.getMessage().lines().findFirst().orElse(""), "compare each column with a value of its type");
            }
            throw new IOException("cannot read the rows table: " + e.getMessage(), e);
        }
    }
}
