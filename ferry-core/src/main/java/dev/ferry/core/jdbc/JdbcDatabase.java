package dev.ferry.core.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.core.blob.BlobIndex;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.run.RunLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * One metadata database (SQLite, the default, a file under FERRY_HOME; or PostgreSQL) and what every
 * store in it shares: the connection pool, the dialect, the schema, transactions and the translation of
 * SQL failures into {@link FerryException}s. The {@link Catalog}, the {@link RunLog} and the
 * {@link BlobIndex} over it are separate SPIs with separate contract suites; they share this so that
 * a process opens one pool, migrates once, and a damaged SQLite file stops all of them at once.
 */
public final class JdbcDatabase implements AutoCloseable {
    /** How many values one {@code IN (...)} list binds. */
    static final int IN_BATCH = 500;

    private final HikariDataSource dataSource;
    private final SqlDialect dialect;
    private final String description;
    /** Set when the database reported damage: no more writes go into it. */
    private volatile FerryException broken;
    private final JdbcCatalog catalog;
    private final JdbcRunLog runLog;
    private final JdbcBlobIndex blobIndex;

    private JdbcDatabase(HikariDataSource dataSource, SqlDialect dialect, String description) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.description = description;
        this.catalog = new JdbcCatalog(this);
        this.runLog = new JdbcRunLog(this);
        this.blobIndex = new JdbcBlobIndex(this);
    }

    /** Opens (and migrates) the SQLite database in {@code file}, creating it if needed. */
    public static JdbcDatabase sqlite(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT,
                    "cannot create the catalog directory " + file.getParent() + ": " + e.getMessage(),
                    "check that FERRY_HOME is writable", e);
        }
        boolean fresh = !Files.exists(file);
        if (fresh && CatalogTemplate.copyTo(file)) {
            try {
                return open("jdbc:sqlite:" + file.toAbsolutePath(), null, null);
            } catch (FerryException unusable) {
                CatalogTemplate.discard(file); // a damaged template must not stop a new home: migrate instead
            }
        }
        JdbcDatabase db = open("jdbc:sqlite:" + file.toAbsolutePath(), null, null);
        if (fresh) {
            CatalogTemplate.keep(db.dataSource);
        }
        return db;
    }

    /**
     * Opens (and migrates) a catalog from a JDBC URL: {@code jdbc:sqlite:<file>} or
     * {@code jdbc:postgresql://host:port/db}. User and password may be null.
     */
    public static JdbcDatabase open(String jdbcUrl, String user, String password) {
        SqlDialect dialect = SqlDialect.of(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName("ferry-catalog");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(30_000);
        // Fail at once (not after the connection timeout) when the database is not there at all.
        config.setInitializationFailTimeout(1);
        if (dialect == SqlDialect.SQLITE) {
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            // FULL: a bundle id that was printed must survive a power cut, not only a process crash.
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            sqlite.setBusyTimeout(60_000);
            sqlite.enforceForeignKeys(true);
            sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            SQLiteDataSource ds = new SQLiteDataSource(sqlite);
            ds.setUrl(jdbcUrl);
            config.setDataSource(ds);
        } else {
            config.setJdbcUrl(jdbcUrl);
            if (user != null) config.setUsername(user);
            if (password != null) config.setPassword(password);
        }
        String description = redact(jdbcUrl);
        HikariDataSource ds = null;
        try {
            ds = new HikariDataSource(config);
            if (dialect == SqlDialect.SQLITE) {
                quickCheck(ds, description);
            }
            Schema.migrate(ds, dialect);
        } catch (RuntimeException e) {
            if (ds != null) ds.close();
            if (e instanceof FerryException fe && fe.code() == ErrorCode.DATA_CORRUPT) throw fe;
            String damage = damage(e);
            if (damage != null) {
                throw damaged(description, damage, e);
            }
            Throwable root = e;
            boolean unreachable = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                unreachable |= t instanceof SQLException sql && isConnectionFailure(sql)
                        || t instanceof java.net.ConnectException;
                root = t;
            }
            ErrorCode code = unreachable ? ErrorCode.UNREACHABLE : ErrorCode.LOCAL_ENVIRONMENT;
            throw new FerryException(code, "cannot open the catalog " + description + ": " + root.getMessage(),
                    "check the catalog URL (ferry config get catalog.url) and that the database is running", e);
        }
        return new JdbcDatabase(ds, dialect, description);
    }

    /**
     * SQLite's quick integrity check (structure, not every index entry: well under a second for a
     * catalog of a million blobs), so that a damaged file stops at once instead of taking writes.
     */
    private static void quickCheck(HikariDataSource ds, String description) {
        try (Connection c = ds.getConnection();
                java.sql.Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA quick_check(3)")) {
            List<String> found = new ArrayList<>();
            while (r.next()) {
                found.add(r.getString(1));
            }
            if (!found.equals(List.of("ok"))) {
                throw damaged(description, String.join("; ", found), null);
            }
        } catch (SQLException e) {
            String damage = damage(e);
            throw damage != null ? damaged(description, damage, e) : new FerryException(ErrorCode.LOCAL_ENVIRONMENT,
                    "cannot open the catalog " + description + ": " + e.getMessage(), "check FERRY_HOME's permissions", e);
        }
    }

    /** What SQLite says about a damaged file (its own words, innermost), or null if the failure is something else. */
    private static String damage(Throwable e) {
        String said = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_NOTADB") || m.contains("malformed")
                    || m.contains("not a database")) {
                said = m.replaceFirst("^Failed to initialize pool: ", "");
            }
        }
        return said;
    }

    static FerryException damaged(String description, String why, Throwable cause) {
        return new FerryException(ErrorCode.DATA_CORRUPT, "the catalog " + description.replaceFirst("^jdbc:sqlite:", "")
                + " is damaged (" + why.lines().findFirst().orElse(why) + ")",
                "run 'ferry catalog rebuild' to rebuild it from the store (the damaged file is kept aside)", cause);
    }

    /** The URL with any password replaced by ***, for messages and listings. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** Where the database lives, for messages (never includes a password). */
    public String describe() {
        return description;
    }

    /** The catalog's database, for what lives beside the catalog in it (the server's tokens). */
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /** Repos, bundles, labels and dataset versions in this database. */
    public Catalog catalog() {
        return catalog;
    }

    /** Runs, their events and leases in this database. */
    public RunLog runLog() {
        return runLog;
    }

    /** Packs, where each blob is stored, and damaged copies, in this database. */
    public BlobIndex blobIndex() {
        return blobIndex;
    }

    /** Whether several processes on several machines may share this database (PostgreSQL). */
    public boolean isShared() {
        return dialect == SqlDialect.POSTGRESQL;
    }

    /**
     * Takes a lock on {@code key} for the rest of the transaction on {@code c}: other transactions that
     * take the same key wait, others do not (SQLite serializes every writer anyway).
     */
    void lock(Connection c, String key) throws SQLException {
        dialect.lock(c, key);
    }

    @Override
    public void close() {
        dataSource.close();
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    interface SqlWork<T> {
        T apply(Connection c) throws SQLException;
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet r) throws SQLException;
    }

    <T> T inConnection(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    <T> T inTransaction(SqlWork<T> work) {
        FerryException damage = broken;
        if (damage != null) {
            throw new FerryException(damage.code(), damage.getMessage(), damage.hint());
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailed) {
                    // SQLite already rolled back (a full disk does that): the original error is what
                    // happened; the connection is dropped rather than handed out again in an odd state
                    e.addSuppressed(rollbackFailed);
                    dataSource.evictConnection(c);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        return inConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                binder.bind(s);
                return collect(s, mapper);
            }
        });
    }

    static <T> List<T> collect(PreparedStatement s, RowMapper<T> mapper) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(mapper.map(r));
            }
        }
        return out;
    }

    /** Streams a large result without holding it: PostgreSQL needs a cursor (no autocommit) for that. */
    <T> void stream(String sql, RowMapper<T> mapper, Consumer<T> action) {
        inConnection(c -> {
            // SQLite streams rows anyway; there a transaction would be BEGIN IMMEDIATE and block writers.
            boolean cursor = dialect == SqlDialect.POSTGRESQL;
            if (cursor) c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setFetchSize(1000);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        action.accept(mapper.map(r));
                    }
                }
            } finally {
                if (cursor) c.commit();
            }
            return null;
        });
    }

    private RuntimeException translate(SQLException e) {
        String damage = damage(e);
        if (damage != null) {
            broken = damaged(description, damage, e);
            return broken;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("SQLITE_FULL") || message.contains("No space left") || "53100".equals(e.getSQLState())) {
            return new FerryException(ErrorCode.STORAGE_FAILED, "disk full: the catalog " + description
                    + " cannot grow; nothing was committed", "free space on its disk and run the command again", e);
        }
        if (isConnectionFailure(e)) {
            return new FerryException(ErrorCode.UNREACHABLE, "the catalog " + description + " is not reachable: "
                    + e.getMessage(), "check that the database is running", e);
        }
        if (e.getMessage() != null && (e.getMessage().contains("SQLITE_BUSY") || e.getMessage().contains("database is locked"))) {
            return new FerryException(ErrorCode.CONFLICT, "the catalog " + description + " stayed busy: "
                    + e.getMessage(), "another ferry process holds it; retry when it finishes", e);
        }
        return new FerryException(ErrorCode.INTERNAL, "catalog error (" + description + "): " + e.getMessage(),
                "run with --verbose and report it", e);
    }

    private static boolean isConnectionFailure(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }
}
