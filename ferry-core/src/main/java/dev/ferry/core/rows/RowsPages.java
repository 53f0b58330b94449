package dev.ferry.core.rows;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.RowsPage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of a stored Parquet table: DuckDB reads only the asked columns of the row groups the page
 * falls in. Column names are checked against the table's and quoted; offset and limit are bound:
 * nothing a client sends becomes SQL text.
 */
public final class RowsPages {
    private RowsPages() {}

    public static RowsPage read(String table, String version, List<String> tableColumns, RowsPage.Query query,
            InputStream parquet, Path scratch) throws IOException {
        List<String> columns = query.columns().isEmpty() ? tableColumns : query.columns();
        for (String c : columns) {
            if (!tableColumns.contains(c)) {
                throw FerryException.invalid("table '" + table + "' has no column '" + c + "'",
                        "its columns: " + String.join(", ", tableColumns));
            }
        }
        Files.createDirectories(scratch);
        Path file = Files.createTempFile(scratch, "rows-", ".parquet");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                parquet.transferTo(out);
            }
            String source = "read_parquet('" + file.toAbsolutePath().toString().replace("'", "''") + "')";
            StringBuilder select = new StringBuilder("SELECT ");
            for (int i = 0; i < columns.size(); i++) {
                select.append(i == 0 ? "" : ", ").append('"').append(columns.get(i).replace("\"", "\"\"")).append('"');
            }
            try (Connection c = ParquetRows.connect(scratch)) {
                long total;
                try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + source); ResultSet r = s.executeQuery()) {
                    r.next();
                    total = r.getLong(1);
                }
                List<List<Object>> rows = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(select + " FROM " + source + " LIMIT ? OFFSET ?")) {
                    s.setInt(1, query.limit());
                    s.setLong(2, query.offset());
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
            } catch (SQLException e) {
                throw new IOException("cannot read the rows table: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
