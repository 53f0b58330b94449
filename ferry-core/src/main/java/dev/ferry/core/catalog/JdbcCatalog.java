package dev.ferry.core.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Author;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Ids;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.Json;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunEvent;
import dev.ferry.core.run.RunSpec;
import dev.ferry.core.model.Label;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.model.Repo;
import dev.ferry.core.pack.BlobLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The catalog over JDBC: SQLite (the default, a file under FERRY_HOME) or PostgreSQL. */
public final class JdbcCatalog implements Catalog {
    private static final int IN_BATCH = 500;
    private static final String BUNDLE_COLUMNS =
            "id, repo, parent_id, message, author_name, author_email, created_at, file_count, total_bytes, manifest";

    private final HikariDataSource dataSource;
    private final SqlDialect dialect;
    private final String description;
    private volatile CatalogJournal journal = CatalogJournal.NONE;
    /** Set when the database reported damage: no more writes go into it. */
    private volatile FerryException broken;

    private JdbcCatalog(HikariDataSource dataSource, SqlDialect dialect, String description) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.description = description;
    }

    /** Opens (and migrates) the SQLite catalog in {@code file}, creating it if needed. */
    public static JdbcCatalog sqlite(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT,
                    "cannot create the catalog directory " + file.getParent() + ": " + e.getMessage(),
                    "check that FERRY_HOME is writable", e);
        }
        return open("jdbc:sqlite:" + file.toAbsolutePath(), null, null);
    }

    /**
     * Opens (and migrates) a catalog from a JDBC URL: {@code jdbc:sqlite:<file>} or
     * {@code jdbc:postgresql://host:port/db}. User and password may be null.
     */
    public static JdbcCatalog open(String jdbcUrl, String user, String password) {
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
            CatalogSchema.migrate(ds, dialect);
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
        return new JdbcCatalog(ds, dialect, description);
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

    @Override
    public String describe() {
        return description;
    }

    /** The catalog's database, for what lives beside the catalog in it (the server's tokens). */
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void journalTo(CatalogJournal journal) {
        this.journal = journal == null ? CatalogJournal.NONE : journal;
    }

    // ---------------------------------------------------------------- repos

    @Override
    public Repo createRepo(String name, String description, Author author, Instant at) {
        return inTransaction(c -> {
            dialect.lockRepo(c, name);
            if (repoExists(c, name)) {
                throw new FerryException(ErrorCode.CONFLICT, "repo '" + name + "' already exists",
                        "pick another name, or use it as it is ('ferry repo get --repo " + name + "')");
            }
            CatalogRecord.RepoCreated created = new CatalogRecord.RepoCreated(name, description,
                    Instant.ofEpochMilli(at.toEpochMilli()), author);
            insertRepo(c, created);
            journal.append(created);
            return new Repo(name, description, created.createdAt(), author, 0);
        });
    }

    private static void insertRepo(Connection c, CatalogRecord.RepoCreated r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO repos (name, description, created_at, author_name, author_email) VALUES (?,?,?,?,?)")) {
            s.setString(1, r.name());
            s.setString(2, r.description());
            s.setLong(3, r.createdAt().toEpochMilli());
            s.setString(4, r.author().name());
            s.setString(5, r.author().email());
            s.executeUpdate();
        }
    }

    private static final String REPO_SELECT = "SELECT r.name, r.description, r.created_at, r.author_name, r.author_email,"
            + " (SELECT count(*) FROM bundles b WHERE b.repo = r.name) FROM repos r";

    @Override
    public Optional<Repo> findRepo(String name) {
        return query(REPO_SELECT + " WHERE r.name = ?", s -> s.setString(1, name), JdbcCatalog::repo).stream().findFirst();
    }

    @Override
    public List<Repo> listRepos() {
        return query(REPO_SELECT + " ORDER BY r.name", s -> {}, JdbcCatalog::repo);
    }

    private static Repo repo(ResultSet r) throws SQLException {
        return new Repo(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)),
                new Author(r.getString(4), r.getString(5)), r.getLong(6));
    }

    @Override
    public void deleteRepo(String name) {
        inTransaction(c -> {
            dialect.lockRepo(c, name);
            requireRepo(c, name);
            deleteRepoRows(c, name);
            journal.append(new CatalogRecord.RepoDeleted(name, Instant.now()));
            return null;
        });
    }

    private static void deleteRepoRows(Connection c, String name) throws SQLException {
        {
            // Explicit order instead of relying on cascades: labels point at bundles.
            for (String sql : List.of("DELETE FROM ingestions WHERE repo = ?",
                    "DELETE FROM label_moves WHERE repo = ?", "DELETE FROM labels WHERE repo = ?",
                    "DELETE FROM bundles WHERE repo = ?", "DELETE FROM repos WHERE name = ?")) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, name);
                    s.executeUpdate();
                }
            }
        }
    }

    private static boolean repoExists(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM repos WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static void requireRepo(Connection c, String name) throws SQLException {
        if (!repoExists(c, name)) {
            throw unknownRepo(name);
        }
    }

    static FerryException unknownRepo(String name) {
        return FerryException.notFound("repo '" + name + "' does not exist",
                "create it with 'ferry repo create --repo " + name + " --description ...', or see 'ferry repo list'");
    }

    // ---------------------------------------------------------------- bundles

    @Override
    public CommitResult commit(BundleCommit commit) {
        return inTransaction(c -> {
            dialect.lockRepo(c, commit.repo());
            requireRepo(c, commit.repo());
            Bundle bundle = commit.alwaysNew() ? null : newestWithManifest(c, commit.repo(), commit.manifest());
            boolean created = bundle == null;
            if (created) {
                String parent = labelTarget(c, commit.repo(), "latest");
                // the repo is locked: the new bundle sorts after every other, so lists show it newest last
                String id = Ids.after(newestId(c, commit.repo()), commit.id());
                bundle = new Bundle(id, commit.repo(), parent, commit.message(), commit.author(),
                        Instant.ofEpochMilli(commit.createdAt().toEpochMilli()), commit.fileCount(),
                        commit.totalBytes(), commit.manifest());
                insertBundle(c, bundle);
            }
            Ingestion ingestion = null;
            if (commit.ingestion() != null) {
                Ingestion i = commit.ingestion();
                ingestion = new Ingestion(i.repo(), bundle.id(), i.category(), i.rowsManifest(), i.rowCount(),
                        i.columns(), i.config(), i.summary(), Instant.ofEpochMilli(i.createdAt().toEpochMilli()));
                insertIngestion(c, ingestion);
            }
            List<LabelMove> moves = new ArrayList<>();
            for (String label : new LinkedHashSet<>(commit.labels())) {
                moves.add(moveLabel(c, commit.repo(), label, bundle.id(), LabelCondition.ANY,
                        commit.author(), commit.createdAt()));
            }
            List<LabelMove> moved = moves.stream().filter(JdbcCatalog::moved).toList();
            if (created) {
                journal.append(new CatalogRecord.BundleCommitted(bundle, ingestion, moved));
            } else {
                if (ingestion != null) {
                    journal.append(new CatalogRecord.IngestionRecorded(ingestion));
                }
                for (LabelMove m : moved) {
                    journal.append(new CatalogRecord.LabelMoved(m));
                }
            }
            return new CommitResult(bundle, created, moves);
        });
    }

    private static String newestId(Connection c, String repo) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT max(id) FROM bundles WHERE repo = ?")) {
            s.setString(1, repo);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static Bundle newestWithManifest(Connection c, String repo, Digest manifest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + BUNDLE_COLUMNS
                + " FROM bundles WHERE repo = ? AND manifest = ? ORDER BY id DESC LIMIT 1")) {
            s.setString(1, repo);
            s.setBytes(2, manifest.toBytes());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? bundle(r) : null;
            }
        }
    }

    private static void insertBundle(Connection c, Bundle b) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO bundles (" + BUNDLE_COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            s.setString(1, b.id());
            s.setString(2, b.repo());
            s.setString(3, b.parent());
            s.setString(4, b.message());
            s.setString(5, b.author().name());
            s.setString(6, b.author().email());
            s.setLong(7, b.createdAt().toEpochMilli());
            s.setLong(8, b.fileCount());
            s.setLong(9, b.totalBytes());
            s.setBytes(10, b.manifest().toBytes());
            s.executeUpdate();
        }
    }

    private static Bundle bundle(ResultSet r) throws SQLException {
        return new Bundle(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                new Author(r.getString(5), r.getString(6)), Instant.ofEpochMilli(r.getLong(7)),
                r.getLong(8), r.getLong(9), Digest.fromBytes(r.getBytes(10)));
    }

    @Override
    public Optional<Bundle> findBundle(String repo, String id) {
        return query("SELECT " + BUNDLE_COLUMNS + " FROM bundles WHERE repo = ? AND id = ?", s -> {
            s.setString(1, repo);
            s.setString(2, id);
        }, JdbcCatalog::bundle).stream().findFirst();
    }

    @Override
    public Optional<Bundle> findBundleWithManifest(String repo, Digest manifest) {
        return Optional.ofNullable(inConnection(c -> newestWithManifest(c, repo, manifest)));
    }

    @Override
    public boolean hasManifest(Digest manifest) {
        return inConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM bundles WHERE manifest = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM damaged_blobs) LIMIT 1")) {
                s.setBytes(1, manifest.toBytes());
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    @Override
    public List<Bundle> listBundles(String repo) {
        return inConnection(c -> {
            requireRepo(c, repo);
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + BUNDLE_COLUMNS + " FROM bundles WHERE repo = ? ORDER BY id")) {
                s.setString(1, repo);
                return collect(s, JdbcCatalog::bundle);
            }
        });
    }

    @Override
    public void forEachBundle(Consumer<Bundle> action) {
        stream("SELECT " + BUNDLE_COLUMNS + " FROM bundles ORDER BY repo, id", JdbcCatalog::bundle, action);
    }

    // ---------------------------------------------------------------- ingestions

    private static final String INGESTION_COLUMNS =
            "repo, bundle_id, category, rows_manifest, row_count, columns, config, summary, created_at";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public void recordIngestion(Ingestion i) {
        inTransaction(c -> {
            dialect.lockRepo(c, i.repo());
            if (!bundleExists(c, i.repo(), i.bundleId())) {
                throw FerryException.notFound("bundle " + i.bundleId() + " does not exist in repo '" + i.repo() + "'", null);
            }
            Ingestion stored = new Ingestion(i.repo(), i.bundleId(), i.category(), i.rowsManifest(), i.rowCount(),
                    i.columns(), i.config(), i.summary(), Instant.ofEpochMilli(i.createdAt().toEpochMilli()));
            insertIngestion(c, stored);
            journal.append(new CatalogRecord.IngestionRecorded(stored));
            return null;
        });
    }

    // ---------------------------------------------------------------- rebuilding from the journal

    @Override
    public void replay(CatalogRecord record) {
        inTransaction(c -> {
            switch (record) {
                case CatalogRecord.RepoCreated r -> {
                    dialect.lockRepo(c, r.name());
                    if (!repoExists(c, r.name())) {
                        insertRepo(c, r);
                    }
                }
                case CatalogRecord.RepoDeleted r -> {
                    dialect.lockRepo(c, r.name());
                    deleteRepoRows(c, r.name());
                }
                case CatalogRecord.BundleCommitted b -> {
                    dialect.lockRepo(c, b.bundle().repo());
                    requireRepo(c, b.bundle().repo());
                    if (!bundleExists(c, b.bundle().repo(), b.bundle().id())) {
                        insertBundle(c, b.bundle());
                    }
                    if (b.ingestion() != null) {
                        insertIngestion(c, b.ingestion());
                    }
                    for (LabelMove m : b.moves()) {
                        moveLabel(c, m.repo(), m.label(), m.toBundle(), LabelCondition.ANY, m.by(), m.at());
                    }
                }
                case CatalogRecord.LabelMoved l -> {
                    LabelMove m = l.move();
                    dialect.lockRepo(c, m.repo());
                    if (bundleExists(c, m.repo(), m.toBundle())) {
                        moveLabel(c, m.repo(), m.label(), m.toBundle(), LabelCondition.ANY, m.by(), m.at());
                    }
                }
                case CatalogRecord.IngestionRecorded r -> {
                    dialect.lockRepo(c, r.ingestion().repo());
                    if (bundleExists(c, r.ingestion().repo(), r.ingestion().bundleId())) {
                        insertIngestion(c, r.ingestion());
                    }
                }
            }
            return null;
        });
    }

    /** Records (or replaces) the ingestion of a bundle; the caller holds the repo's lock. */
    private static void insertIngestion(Connection c, Ingestion i) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM ingestions WHERE repo = ? AND bundle_id = ?")) {
            s.setString(1, i.repo());
            s.setString(2, i.bundleId());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ingestions (" + INGESTION_COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?)")) {
            s.setString(1, i.repo());
            s.setString(2, i.bundleId());
            s.setString(3, i.category());
            s.setBytes(4, i.rowsManifest().toBytes());
            s.setLong(5, i.rowCount());
            s.setString(6, JSON.writeValueAsString(i.columns()));
            s.setString(7, i.config());
            s.setString(8, i.summary());
            s.setLong(9, i.createdAt().toEpochMilli());
            s.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Ingestion ingestion(ResultSet r) throws SQLException {
        try {
            List<String> columns = JSON.readValue(r.getString(6),
                    JSON.getTypeFactory().constructCollectionType(List.class, String.class));
            return new Ingestion(r.getString(1), r.getString(2), r.getString(3), Digest.fromBytes(r.getBytes(4)),
                    r.getLong(5), columns, r.getString(7), r.getString(8), Instant.ofEpochMilli(r.getLong(9)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable columns of an ingestion", e);
        }
    }

    @Override
    public Optional<Ingestion> findIngestion(String repo, String bundleId) {
        return query("SELECT " + INGESTION_COLUMNS + " FROM ingestions WHERE repo = ? AND bundle_id = ?", s -> {
            s.setString(1, repo);
            s.setString(2, bundleId);
        }, JdbcCatalog::ingestion).stream().findFirst();
    }

    @Override
    public List<Ingestion> listIngestions(String repo) {
        return query("SELECT " + INGESTION_COLUMNS + " FROM ingestions WHERE repo = ? ORDER BY bundle_id",
                s -> s.setString(1, repo), JdbcCatalog::ingestion);
    }

    @Override
    public void forEachIngestion(Consumer<Ingestion> action) {
        stream("SELECT " + INGESTION_COLUMNS + " FROM ingestions ORDER BY repo, bundle_id", JdbcCatalog::ingestion, action);
    }

    // ---------------------------------------------------------------- runs

    private static final String RUN_COLUMNS = "id, idempotency_key, spec, created_at";
    /** Progress and log lines do not move a run: folding only the rest keeps listing cheap. */
    private static final String MILESTONES = " AND type NOT IN ('progress', 'log')";

    @Override
    public void createRun(String id, String idempotencyKey, RunSpec spec, String owner, LoggedEvent first) {
        inTransaction(c -> {
            if (idempotencyKey != null) {
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM runs WHERE idempotency_key = ?")) {
                    s.setString(1, idempotencyKey);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            throw new FerryException(ErrorCode.CONFLICT, "idempotency key '" + idempotencyKey
                                    + "' belongs to run " + r.getString(1), null);
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO runs (id, kind, idempotency_key, spec, created_at,"
                    + " owner) VALUES (?,?,?,?,?,?)")) {
                s.setString(1, id);
                s.setString(2, spec.kind());
                s.setString(3, idempotencyKey);
                s.setString(4, Json.write(spec));
                s.setLong(5, first.at().toEpochMilli());
                s.setString(6, owner);
                s.executeUpdate();
            }
            insertEvent(c, first);
            return null;
        });
    }

    @Override
    public Optional<Run> findRun(String id) {
        return runs(" WHERE id = ?", s -> s.setString(1, id)).stream().findFirst();
    }

    @Override
    public Optional<Run> findRunByKey(String idempotencyKey) {
        return runs(" WHERE idempotency_key = ?", s -> s.setString(1, idempotencyKey)).stream().findFirst();
    }

    @Override
    public List<Run> listRuns(int limit) {
        List<Run> newestFirst = runs(" ORDER BY id DESC LIMIT ?", s -> s.setInt(1, limit));
        List<Run> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public List<UnfinishedRun> unfinishedRuns() {
        // the last state-moving event of each run tells whether it ended
        String unfinished = " WHERE id IN (SELECT e.run_id FROM run_events e WHERE e.seq = (SELECT max(m.seq) FROM"
                + " run_events m WHERE m.run_id = e.run_id" + MILESTONES.replace("type", "m.type") + ") AND e.type NOT IN"
                + " ('completed', 'failed', 'cancelled', 'delegated'))";
        List<Run> runs = runs(unfinished + " ORDER BY id", s -> {});
        // read after the runs: a run that started in between is not in the list, so never taken for an ownerless one
        Map<String, String> owners = new HashMap<>();
        inConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, owner FROM runs WHERE owner IS NOT NULL")) {
                for (String[] row : collect(s, r -> new String[] {r.getString(1), r.getString(2)})) {
                    owners.put(row[0], row[1]);
                }
            }
            return null;
        });
        List<UnfinishedRun> out = new ArrayList<>();
        for (Run run : runs) {
            out.add(new UnfinishedRun(run, owners.get(run.id())));
        }
        return out;
    }

    private record RunRow(String id, String key, RunSpec spec, Instant createdAt) {}

    private List<Run> runs(String where, Binder binder) {
        return inConnection(c -> {
            List<RunRow> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs" + where)) {
                binder.bind(s);
                rows.addAll(collect(s, r -> new RunRow(r.getString(1), r.getString(2),
                        Json.read(r.getString(3), RunSpec.class), Instant.ofEpochMilli(r.getLong(4)))));
            }
            List<Run> out = new ArrayList<>(rows.size());
            for (RunRow row : rows) {
                List<LoggedEvent> milestones = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT run_id, seq, at, body FROM run_events WHERE run_id = ?"
                        + MILESTONES + " ORDER BY seq")) {
                    s.setString(1, row.id());
                    milestones.addAll(collect(s, JdbcCatalog::event));
                }
                Run folded = Run.fold(row.id(), row.key(), row.spec(), row.createdAt(), milestones);
                try (PreparedStatement s = c.prepareStatement("SELECT max(seq), max(at) FROM run_events WHERE run_id = ?")) {
                    s.setString(1, row.id());
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        folded = new Run(folded.id(), folded.kind(), folded.idempotencyKey(), folded.spec(),
                                folded.createdAt(), folded.state(), folded.target(), Instant.ofEpochMilli(r.getLong(2)),
                                r.getLong(1), folded.result(), folded.failure());
                    }
                }
                out.add(folded);
            }
            return out;
        });
    }

    @Override
    public void renewLeases(Collection<String> runIds, Instant until) {
        if (runIds.isEmpty()) {
            return;
        }
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE runs SET lease_until = ? WHERE id = ?")) {
                for (String id : runIds) {
                    s.setLong(1, until.toEpochMilli());
                    s.setString(2, id);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void endLease(String runId) {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE runs SET lease_until = NULL WHERE id = ?")) {
                s.setString(1, runId);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<ExpiredLease> leasesBefore(Instant t) {
        return query("SELECT id, owner, lease_until FROM runs WHERE lease_until < ? ORDER BY id", s -> s.setLong(1, t.toEpochMilli()),
                r -> new ExpiredLease(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3))));
    }

    @Override
    public void appendEvent(LoggedEvent event) {
        inTransaction(c -> {
            insertEvent(c, event);
            return null;
        });
    }

    private static void insertEvent(Connection c, LoggedEvent e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO run_events (run_id, seq, type, at, body) VALUES (?,?,?,?,?)")) {
            s.setString(1, e.runId());
            s.setLong(2, e.seq());
            s.setString(3, e.event().type());
            s.setLong(4, e.at().toEpochMilli());
            s.setString(5, Json.write(e.event()));
            s.executeUpdate();
        }
    }

    @Override
    public List<LoggedEvent> events(String runId, long after, int limit) {
        return query("SELECT run_id, seq, at, body FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?", s -> {
            s.setString(1, runId);
            s.setLong(2, after);
            s.setInt(3, limit);
        }, JdbcCatalog::event);
    }

    private static LoggedEvent event(ResultSet r) throws SQLException {
        return new LoggedEvent(r.getString(1), r.getLong(2), Instant.ofEpochMilli(r.getLong(3)),
                Json.read(r.getString(4), RunEvent.class));
    }

    // ---------------------------------------------------------------- labels

    @Override
    public LabelMove setLabel(String repo, String label, String bundleId, LabelCondition condition, Author by,
            Instant at) {
        return inTransaction(c -> {
            dialect.lockRepo(c, repo);
            requireRepo(c, repo);
            if (!bundleExists(c, repo, bundleId)) {
                throw FerryException.notFound("bundle " + bundleId + " does not exist in repo '" + repo + "'",
                        "see 'ferry bundle list --repo " + repo + "'");
            }
            LabelMove move = moveLabel(c, repo, label, bundleId, condition, by, at);
            if (moved(move)) {
                journal.append(new CatalogRecord.LabelMoved(move));
            }
            return move;
        });
    }

    /** Whether a label move changed anything (setting a label to where it points records nothing). */
    private static boolean moved(LabelMove move) {
        return !move.toBundle().equals(move.fromBundle());
    }

    private static boolean bundleExists(Connection c, String repo, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM bundles WHERE repo = ? AND id = ?")) {
            s.setString(1, repo);
            s.setString(2, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Runs inside a transaction that holds the repo lock. */
    private static LabelMove moveLabel(Connection c, String repo, String label, String bundleId,
            LabelCondition condition, Author by, Instant at) throws SQLException {
        String current = labelTarget(c, repo, label);
        boolean holds = switch (condition) {
            case LabelCondition.Any any -> true;
            case LabelCondition.Absent absent -> current == null;
            case LabelCondition.PointsTo p -> p.bundleId().equals(current);
        };
        if (!holds) {
            throw new FerryException(ErrorCode.CONFLICT,
                    "label '" + label + "' of repo '" + repo + "' points at "
                            + (current == null ? "nothing" : current) + ", not at " + expected(condition),
                    "someone moved it first; check 'ferry label get --repo " + repo + " --label " + label
                            + "' and retry");
        }
        Instant when = Instant.ofEpochMilli(at.toEpochMilli());
        if (bundleId.equals(current)) {
            return new LabelMove(repo, label, current, bundleId, when, by);
        }
        String upsert = current == null
                ? "INSERT INTO labels (bundle_id, updated_at, author_name, author_email, repo, name) VALUES (?,?,?,?,?,?)"
                : "UPDATE labels SET bundle_id = ?, updated_at = ?, author_name = ?, author_email = ?"
                        + " WHERE repo = ? AND name = ?";
        try (PreparedStatement s = c.prepareStatement(upsert)) {
            s.setString(1, bundleId);
            s.setLong(2, when.toEpochMilli());
            s.setString(3, by.name());
            s.setString(4, by.email());
            s.setString(5, repo);
            s.setString(6, label);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO label_moves"
                + " (repo, label, from_bundle, to_bundle, moved_at, author_name, author_email) VALUES (?,?,?,?,?,?,?)")) {
            s.setString(1, repo);
            s.setString(2, label);
            s.setString(3, current);
            s.setString(4, bundleId);
            s.setLong(5, when.toEpochMilli());
            s.setString(6, by.name());
            s.setString(7, by.email());
            s.executeUpdate();
        }
        return new LabelMove(repo, label, current, bundleId, when, by);
    }

    private static String expected(LabelCondition condition) {
        return switch (condition) {
            case LabelCondition.Any any -> "anything";
            case LabelCondition.Absent absent -> "nothing (it was expected not to exist)";
            case LabelCondition.PointsTo p -> p.bundleId() + " as expected";
        };
    }

    private static String labelTarget(Connection c, String repo, String label) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT bundle_id FROM labels WHERE repo = ? AND name = ?")) {
            s.setString(1, repo);
            s.setString(2, label);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static final String LABEL_SELECT =
            "SELECT repo, name, bundle_id, updated_at, author_name, author_email FROM labels";

    @Override
    public Optional<Label> findLabel(String repo, String name) {
        return query(LABEL_SELECT + " WHERE repo = ? AND name = ?", s -> {
            s.setString(1, repo);
            s.setString(2, name);
        }, JdbcCatalog::label).stream().findFirst();
    }

    @Override
    public List<Label> listLabels(String repo) {
        return inConnection(c -> {
            requireRepo(c, repo);
            try (PreparedStatement s = c.prepareStatement(LABEL_SELECT + " WHERE repo = ? ORDER BY name")) {
                s.setString(1, repo);
                return collect(s, JdbcCatalog::label);
            }
        });
    }

    private static Label label(ResultSet r) throws SQLException {
        return new Label(r.getString(1), r.getString(2), r.getString(3), Instant.ofEpochMilli(r.getLong(4)),
                new Author(r.getString(5), r.getString(6)));
    }

    @Override
    public List<LabelMove> labelHistory(String repo, String label) {
        String sql = "SELECT repo, label, from_bundle, to_bundle, moved_at, author_name, author_email"
                + " FROM label_moves WHERE repo = ?" + (label == null ? "" : " AND label = ?") + " ORDER BY seq";
        return inConnection(c -> {
            requireRepo(c, repo);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, repo);
                if (label != null) s.setString(2, label);
                return collect(s, r -> new LabelMove(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        Instant.ofEpochMilli(r.getLong(5)), new Author(r.getString(6), r.getString(7))));
            }
        });
    }

    // ---------------------------------------------------------------- blob index

    @Override
    public void addPack(PackRecord pack, List<BlobLocation> blobs, boolean relocate) {
        String conflict = relocate
                ? " ON CONFLICT (digest) DO UPDATE SET pack_id = excluded.pack_id,"
                        + " pack_offset = excluded.pack_offset, length = excluded.length"
                : " ON CONFLICT (digest) DO NOTHING";
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO packs (id, size, blob_count, created_at) VALUES (?,?,?,?)")) {
                s.setString(1, pack.id());
                s.setLong(2, pack.size());
                s.setInt(3, pack.blobCount());
                s.setLong(4, pack.createdAt().toEpochMilli());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO blobs (digest, pack_id, pack_offset, length) VALUES (?,?,?,?)" + conflict)) {
                for (BlobLocation b : blobs) {
                    s.setBytes(1, b.digest().toBytes());
                    s.setString(2, b.packId());
                    s.setLong(3, b.offset());
                    s.setInt(4, b.length());
                    s.addBatch();
                }
                s.executeBatch();
            }
            if (anyDamaged(c)) {
                // healed: a new copy of a blob recorded as damaged (a statement per blob only then:
                // for packs of 8,192 tiny files it cost a 20k-file upload ~25%, bench/ab.sh)
                try (PreparedStatement s = c.prepareStatement("DELETE FROM damaged_blobs WHERE digest = ?")) {
                    for (BlobLocation b : blobs) {
                        s.setBytes(1, b.digest().toBytes());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            return null;
        });
    }

    private static boolean anyDamaged(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM damaged_blobs LIMIT 1");
                ResultSet r = s.executeQuery()) {
            return r.next();
        }
    }

    @Override
    public void markDamaged(Collection<BlobLocation> blobs, String reason, Instant at) {
        if (blobs.isEmpty()) {
            return;
        }
        inTransaction(c -> {
            try (PreparedStatement unindex = c.prepareStatement(
                    "DELETE FROM blobs WHERE digest = ? AND pack_id = ? AND pack_offset = ?");
                    PreparedStatement record = c.prepareStatement("INSERT INTO damaged_blobs"
                            + " (digest, pack_id, pack_offset, length, reason, found_at) VALUES (?,?,?,?,?,?)"
                            + " ON CONFLICT (digest) DO UPDATE SET pack_id = excluded.pack_id,"
                            + " pack_offset = excluded.pack_offset, length = excluded.length,"
                            + " reason = excluded.reason, found_at = excluded.found_at")) {
                for (BlobLocation b : blobs) {
                    unindex.setBytes(1, b.digest().toBytes());
                    unindex.setString(2, b.packId());
                    unindex.setLong(3, b.offset());
                    if (unindex.executeUpdate() == 0) {
                        continue; // stored again (or repacked) meanwhile: that copy is the one the index has
                    }
                    record.setBytes(1, b.digest().toBytes());
                    record.setString(2, b.packId());
                    record.setLong(3, b.offset());
                    record.setInt(4, b.length());
                    record.setString(5, reason);
                    record.setLong(6, at.toEpochMilli());
                    record.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<DamagedBlob> damagedBlobs() {
        return query("SELECT digest, pack_id, pack_offset, length, reason, found_at FROM damaged_blobs ORDER BY digest",
                s -> {}, r -> new DamagedBlob(blobLocation(r), r.getString(5), Instant.ofEpochMilli(r.getLong(6))));
    }

    @Override
    public void forgetDamaged(Collection<Digest> digests) {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM damaged_blobs WHERE digest = ?")) {
                for (Digest d : digests) {
                    s.setBytes(1, d.toBytes());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return inConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM blobs WHERE digest = ?")) {
                s.setBytes(1, digest.toBytes());
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    @Override
    public Map<Digest, BlobLocation> locate(Collection<Digest> digests) {
        Map<Digest, BlobLocation> found = new HashMap<>();
        if (digests.isEmpty()) {
            return found;
        }
        List<Digest> all = List.copyOf(new LinkedHashSet<>(digests));
        return inConnection(c -> {
            for (int from = 0; from < all.size(); from += IN_BATCH) {
                List<Digest> batch = all.subList(from, Math.min(all.size(), from + IN_BATCH));
                String sql = "SELECT digest, pack_id, pack_offset, length FROM blobs WHERE digest IN ("
                        + "?,".repeat(batch.size() - 1) + "?)";
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    for (int i = 0; i < batch.size(); i++) {
                        s.setBytes(i + 1, batch.get(i).toBytes());
                    }
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            BlobLocation b = blobLocation(r);
                            found.put(b.digest(), b);
                        }
                    }
                }
            }
            return found;
        });
    }

    private static BlobLocation blobLocation(ResultSet r) throws SQLException {
        return new BlobLocation(Digest.fromBytes(r.getBytes(1)), r.getString(2), r.getLong(3), r.getInt(4));
    }

    @Override
    public List<BlobLocation> blobsInPack(String packId) {
        return query("SELECT digest, pack_id, pack_offset, length FROM blobs WHERE pack_id = ? ORDER BY pack_offset",
                s -> s.setString(1, packId), JdbcCatalog::blobLocation);
    }

    @Override
    public void forEachBlob(Consumer<BlobLocation> action) {
        stream("SELECT digest, pack_id, pack_offset, length FROM blobs ORDER BY pack_id, pack_offset",
                JdbcCatalog::blobLocation, action);
    }

    @Override
    public void forEachDigest(Consumer<Digest> action) {
        stream("SELECT digest FROM blobs", r -> Digest.fromBytes(r.getBytes(1)), action);
    }

    @Override
    public List<PackRecord> listPacks() {
        return query("SELECT id, size, blob_count, created_at FROM packs ORDER BY id", s -> {}, JdbcCatalog::packRecord);
    }

    @Override
    public List<PackRecord> packsCreatedSince(Instant since) {
        return query("SELECT id, size, blob_count, created_at FROM packs WHERE created_at >= ? ORDER BY id",
                s -> s.setLong(1, since.toEpochMilli()), JdbcCatalog::packRecord);
    }

    private static PackRecord packRecord(ResultSet r) throws SQLException {
        return new PackRecord(r.getString(1), r.getLong(2), r.getInt(3), Instant.ofEpochMilli(r.getLong(4)));
    }

    @Override
    public void removePacks(Collection<String> packIds) {
        inTransaction(c -> {
            for (String sql : List.of("DELETE FROM blobs WHERE pack_id = ?", "DELETE FROM packs WHERE id = ?")) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    for (String id : packIds) {
                        s.setString(1, id);
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        dataSource.close();
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface SqlWork<T> {
        T apply(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet r) throws SQLException;
    }

    private <T> T inConnection(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private <T> T inTransaction(SqlWork<T> work) {
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

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        return inConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                binder.bind(s);
                return collect(s, mapper);
            }
        });
    }

    private static <T> List<T> collect(PreparedStatement s, RowMapper<T> mapper) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(mapper.map(r));
            }
        }
        return out;
    }

    /** Streams a large result without holding it: PostgreSQL needs a cursor (no autocommit) for that. */
    private <T> void stream(String sql, RowMapper<T> mapper, Consumer<T> action) {
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
