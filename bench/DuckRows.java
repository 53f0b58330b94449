// The DuckDB side of bench/rows.sh (issue 27), run as a whole process with the duckdb_jdbc jar:
//   java -cp duckdb_jdbc.jar bench/DuckRows.java copy IN.csv OUT.parquet
//       the peer: DuckDB's own CSV -> Parquet (sniffed types, its defaults), as `duckdb -c "COPY ..."` does
//   java -cp duckdb_jdbc.jar bench/DuckRows.java checked IN.csv OUT.parquet LABEL
//       the candidate engine for Ferry's rows: a typed read that keeps rejected records (not abort), the
//       tabular_classification checks as queries (rejected values, NA-like labels, >= 2 labels), then
//       Parquet with ZSTD and row groups of 100,000 rows; prints each stage's time on stderr
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

public class DuckRows {
    public static void main(String[] args) throws Exception {
        String in = args[1].replace("'", "''");
        String out = args[2].replace("'", "''");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            if (args[0].equals("copy")) {
                s.execute("COPY (SELECT * FROM read_csv('" + in + "')) TO '" + out + "' (FORMAT parquet)");
                return;
            }
            String label = args[3].replace("\"", "\"\"");
            long t0 = System.nanoTime();
            s.execute("CREATE TABLE rows AS SELECT * FROM read_csv('" + in + "', store_rejects = true)");
            long t1 = System.nanoTime();
            long rejected = one(s, "SELECT count(*) FROM reject_errors");
            long na = one(s, "SELECT count(*) FROM rows WHERE \"" + label + "\" IS NULL OR lower(trim(CAST(\"" + label
                    + "\" AS VARCHAR))) IN ('', 'na', 'n/a', 'nan', '#na', 'null', 'none')");
            long labels = one(s, "SELECT count(DISTINCT \"" + label + "\") FROM rows WHERE \"" + label + "\" IS NOT NULL");
            long total = one(s, "SELECT count(*) FROM rows");
            long t2 = System.nanoTime();
            s.execute("COPY rows TO '" + out + "' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)");
            long t3 = System.nanoTime();
            System.err.printf("rows %d, rejected %d, NA labels %d, distinct labels %d; read %.2f s, checks %.2f s, parquet %.2f s%n",
                    total, rejected, na, labels, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        }
    }

    private static long one(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
