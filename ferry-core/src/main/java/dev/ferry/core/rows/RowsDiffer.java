package dev.ferry.core.rows;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.RowsDiff;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ferry dataset diff --rows}: two versions' stored tables joined by {@code data_id} in DuckDB
 * (spilling to scratch beyond its memory bound; no row on the heap but the page asked for). A record is
 * changed when any column both versions have differs, compared as text so that a column whose stored
 * type changed between versions still compares by value.
 */
public final class RowsDiffer {
    private static final String ID = "data_id";

    private RowsDiffer() {}

    public static RowsDiff diff(String table, String fromVersion, Path from, String toVersion, Path to, RowsDiff.Query query,
            Path scratch) throws IOException {
        try (Connection c = ParquetRows.connect(scratch); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP VIEW a AS SELECT * FROM read_parquet(" + ParquetRows.literal(from) + ", file_row_number = true)");
            s.execute("CREATE TEMP VIEW b AS SELECT * FROM read_parquet(" + ParquetRows.literal(to) + ", file_row_number = true)");
            List<String> before = columns(s, "a");
            List<String> after = columns(s, "b");
            if (!before.contains(ID) || !after.contains(ID)) {
                throw FerryException.invalid("the rows of " + table + " cannot be compared record by record: "
                        + (before.contains(ID) ? "version " + toVersion : "version " + fromVersion) + " has no data_id column",
                        "compare their files with 'ferry dataset diff " + table + " FROM TO' (without --rows)");
            }
            List<String> common = after.stream().filter(before::contains).filter(col -> !col.equals(ID)).toList();
            StringBuilder differs = new StringBuilder("false");
            for (String col : common) {
                differs.append(" OR ").append(text("a", col)).append(" IS DISTINCT FROM ").append(text("b", col));
            }
            s.execute("CREATE TEMP TABLE j AS SELECT CASE WHEN a.data_id IS NULL THEN 'added' WHEN b.data_id IS NULL THEN 'removed'"
                    + " WHEN " + differs + " THEN 'changed' ELSE 'same' END AS kind,"
                    + " a.file_row_number AS an, b.file_row_number AS bn"
                    + " FROM a FULL OUTER JOIN b ON " + text("a", ID) + " = " + text("b", ID));
            Map<String, Long> counts = new LinkedHashMap<>();
            try (ResultSet r = s.executeQuery("SELECT kind, count(*) FROM j GROUP BY kind")) {
                while (r.next()) {
                    counts.put(r.getString(1), r.getLong(2));
                }
            }
            List<RowsDiff.LabelChange> labels = new ArrayList<>();
            if (before.contains("label") && after.contains("label")) {
                try (ResultSet r = s.executeQuery("SELECT " + text("a", "label") + " AS f, " + text("b", "label") + " AS t, count(*) AS n"
                        + " FROM a JOIN b ON " + text("a", ID) + " = " + text("b", ID) + " WHERE f IS DISTINCT FROM t"
                        + " GROUP BY f, t ORDER BY n DESC, f, t")) {
                    while (r.next()) {
                        labels.add(new RowsDiff.LabelChange(r.getString(1), r.getString(2), r.getLong(3)));
                    }
                }
            }
            String kinds = query.kind() == null ? "kind <> 'same'" : "kind = ?";
            long total;
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM j WHERE " + kinds)) {
                if (query.kind() != null) {
                    p.setString(1, query.kind().name());
                }
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    total = r.getLong(1);
                }
            }
            List<String> shown = new ArrayList<>();
            shown.add(ID);
            shown.addAll(common);
            List<RowsDiff.Change> changes = query.limit() == 0 ? List.of() : page(c, kinds, query, shown);
            return new RowsDiff(table, fromVersion, toVersion, counts.getOrDefault("added", 0L), counts.getOrDefault("removed", 0L),
                    counts.getOrDefault("changed", 0L), counts.getOrDefault("same", 0L),
                    after.stream().filter(col -> !before.contains(col)).toList(),
                    before.stream().filter(col -> !after.contains(col)).toList(), labels, total, query.offset(), changes);
        } catch (SQLException e) {
            throw new IOException("cannot compare the rows tables: " + e.getMessage(), e);
        }
    }

    /** The changes of one page, in the newer version's order, then the removed rows in the older one's. */
    private static List<RowsDiff.Change> page(Connection c, String kinds, RowsDiff.Query query, List<String> shown)
            throws SQLException {
        StringBuilder select = new StringBuilder("SELECT j.kind");
        for (String col : shown) {
            select.append(", a.").append(ParquetRows.quoted(col)).append(", b.").append(ParquetRows.quoted(col));
        }
        select.append(" FROM j LEFT JOIN a ON j.an = a.file_row_number LEFT JOIN b ON j.bn = b.file_row_number WHERE ")
                .append(kinds).append(" ORDER BY j.bn IS NULL, coalesce(j.bn, j.an) LIMIT ? OFFSET ?");
        List<RowsDiff.Change> changes = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(select.toString())) {
            int at = 1;
            if (query.kind() != null) {
                p.setString(at++, query.kind().name());
            }
            p.setInt(at++, query.limit());
            p.setLong(at, query.offset());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    RowsDiff.Kind kind = RowsDiff.Kind.valueOf(r.getString(1));
                    Map<String, Object> was = new LinkedHashMap<>();
                    Map<String, Object> is = new LinkedHashMap<>();
                    List<String> changed = new ArrayList<>();
                    for (int i = 0; i < shown.size(); i++) {
                        Object x = r.getObject(2 + 2 * i);
                        Object y = r.getObject(3 + 2 * i);
                        was.put(shown.get(i), x);
                        is.put(shown.get(i), y);
                        if (kind == RowsDiff.Kind.changed && !Objects.equals(String.valueOf(x), String.valueOf(y))) {
                            changed.add(shown.get(i));
                        }
                    }
                    String id = String.valueOf(kind == RowsDiff.Kind.removed ? was.get(ID) : is.get(ID));
                    changes.add(new RowsDiff.Change(kind, id, changed, kind == RowsDiff.Kind.added ? null : was,
                            kind == RowsDiff.Kind.removed ? null : is));
                }
            }
        }
        return changes;
    }

    private static List<String> columns(Statement s, String view) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + view)) {
            while (r.next()) {
                if (!r.getString(1).equals("file_row_number")) {
                    names.add(r.getString(1));
                }
            }
        }
        return names;
    }

    private static String text(String side, String column) {
        return "CAST(" + side + "." + ParquetRows.quoted(column) + " AS VARCHAR)";
    }
}
