package dev.ferry.core.rows;

import dev.ferry.core.model.DatasetStats;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ferry dataset stats}: one pass of DuckDB over a stored Parquet table (its row groups carry
 * statistics, and the engine reads only the columns each aggregate needs), never the rows on the heap.
 */
public final class RowsStats {
    private RowsStats() {}

    public static DatasetStats of(String table, String version, Path parquet, Path scratch) throws IOException {
        try {
            return ParquetRows.query(parquet, scratch, (c, source) -> compute(table, version, c, source));
        } catch (SQLException e) {
            throw new IOException("cannot read the rows table: " + e.getMessage(), e);
        }
    }

    /** Only the label histogram (most frequent first; empty without a label column): one grouping, fast enough per page. */
    public static List<DatasetStats.LabelCount> labels(Path parquet, Path scratch) throws IOException {
        try {
            return ParquetRows.query(parquet, scratch, (c, source) -> {
                try (Statement s = c.createStatement()) {
                    boolean labelled = false;
                    try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                        while (r.next()) {
                            labelled |= r.getString(1).equals("label");
                        }
                    }
                    return labelled ? histogram(s, source) : List.<DatasetStats.LabelCount>of();
                }
            });
        } catch (SQLException e) {
            throw new IOException("cannot read the rows table: " + e.getMessage(), e);
        }
    }

    private static List<DatasetStats.LabelCount> histogram(Statement s, String source) throws SQLException {
        List<DatasetStats.LabelCount> labels = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT CAST(label AS VARCHAR) AS l, count(*) AS n FROM " + source
                + " WHERE label IS NOT NULL GROUP BY l ORDER BY n DESC, l")) {
            while (r.next()) {
                labels.add(new DatasetStats.LabelCount(r.getString(1), r.getLong(2)));
            }
        }
        return labels;
    }

    private static DatasetStats compute(String table, String version, Connection c, String source) throws SQLException {
        try (Statement s = c.createStatement()) {
            List<String[]> described = new ArrayList<>();
            try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (r.next()) {
                    described.add(new String[] {r.getString(1), r.getString(2)});
                }
            }
            StringBuilder sql = new StringBuilder("SELECT count(*)");
            for (String[] column : described) {
                String q = '"' + column[0].replace("\"", "\"\"") + '"';
                sql.append(", count(*) - count(").append(q).append("), count(DISTINCT ").append(q).append("), CAST(min(")
                        .append(q).append(") AS VARCHAR), CAST(max(").append(q).append(") AS VARCHAR)");
            }
            long rows;
            List<DatasetStats.Column> columns = new ArrayList<>();
            try (ResultSet r = s.executeQuery(sql.append(" FROM ").append(source).toString())) {
                r.next();
                rows = r.getLong(1);
                for (int i = 0; i < described.size(); i++) {
                    int at = 2 + i * 4;
                    columns.add(new DatasetStats.Column(described.get(i)[0], described.get(i)[1], r.getLong(at),
                            r.getLong(at + 1), r.getString(at + 2), r.getString(at + 3)));
                }
            }
            List<DatasetStats.LabelCount> labels = described.stream().anyMatch(d -> d[0].equals("label")) ? histogram(s, source)
                    : List.of();
            return new DatasetStats(table, version, rows, columns, labels);
        }
    }
}
