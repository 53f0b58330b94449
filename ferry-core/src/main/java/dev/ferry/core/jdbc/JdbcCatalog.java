package dev.ferry.core.jdbc;

import dev.ferry.core.catalog.BundleCommit;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.catalog.CatalogJournal;
import dev.ferry.core.catalog.CatalogRecord;
import dev.ferry.core.catalog.CommitResult;
import dev.ferry.core.catalog.LabelCondition;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Author;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Ids;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.Label;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.model.Repo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The catalog over a {@link JdbcDatabase}: repos, bundles, labels and dataset versions. */
final class JdbcCatalog implements Catalog {
    private static final String BUNDLE_COLUMNS =
            "id, repo, parent_id, message, author_name, author_email, created_at, file_count, total_bytes, manifest";

    private final JdbcDatabase db;
    private volatile CatalogJournal journal = CatalogJournal.NONE;

    JdbcCatalog(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public String describe() {
        return db.describe();
    }

    @Override
    public void journalTo(CatalogJournal journal) {
        this.journal = journal == null ? CatalogJournal.NONE : journal;
    }

    /** Serializes the writers of one repo (label moves read, then write). */
    private void lockRepo(Connection c, String repo) throws SQLException {
        db.lock(c, "ferry.repo:" + repo);
    }

    // ---------------------------------------------------------------- repos

    @Override
    public Repo createRepo(String name, String description, Author author, Instant at) {
        return db.inTransaction(c -> {
            lockRepo(c, name);
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
        return db.query(REPO_SELECT + " WHERE r.name = ?", s -> s.setString(1, name), JdbcCatalog::repo).stream().findFirst();
    }

    @Override
    public List<Repo> listRepos() {
        return db.query(REPO_SELECT + " ORDER BY r.name", s -> {}, JdbcCatalog::repo);
    }

    private static Repo repo(ResultSet r) throws SQLException {
        return new Repo(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)),
                new Author(r.getString(4), r.getString(5)), r.getLong(6));
    }

    @Override
    public void deleteRepo(String name) {
        db.inTransaction(c -> {
            lockRepo(c, name);
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
        return db.inTransaction(c -> {
            lockRepo(c, commit.repo());
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
        return db.query("SELECT " + BUNDLE_COLUMNS + " FROM bundles WHERE repo = ? AND id = ?", s -> {
            s.setString(1, repo);
            s.setString(2, id);
        }, JdbcCatalog::bundle).stream().findFirst();
    }

    @Override
    public Optional<Bundle> findBundleWithManifest(String repo, Digest manifest) {
        return Optional.ofNullable(db.inConnection(c -> newestWithManifest(c, repo, manifest)));
    }

    @Override
    public boolean hasManifest(Digest manifest) {
        return db.inConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM bundles WHERE manifest = ? LIMIT 1")) {
                s.setBytes(1, manifest.toBytes());
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    @Override
    public List<Bundle> listBundles(String repo) {
        return db.inConnection(c -> {
            requireRepo(c, repo);
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + BUNDLE_COLUMNS + " FROM bundles WHERE repo = ? ORDER BY id")) {
                s.setString(1, repo);
                return JdbcDatabase.collect(s, JdbcCatalog::bundle);
            }
        });
    }

    @Override
    public void forEachBundle(Consumer<Bundle> action) {
        db.stream("SELECT " + BUNDLE_COLUMNS + " FROM bundles ORDER BY repo, id", JdbcCatalog::bundle, action);
    }

    // ---------------------------------------------------------------- ingestions

    private static final String INGESTION_COLUMNS =
            "repo, bundle_id, category, rows_manifest, row_count, columns, config, summary, created_at";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public void recordIngestion(Ingestion i) {
        db.inTransaction(c -> {
            lockRepo(c, i.repo());
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
        db.inTransaction(c -> {
            switch (record) {
                case CatalogRecord.RepoCreated r -> {
                    lockRepo(c, r.name());
                    if (!repoExists(c, r.name())) {
                        insertRepo(c, r);
                    }
                }
                case CatalogRecord.RepoDeleted r -> {
                    lockRepo(c, r.name());
                    deleteRepoRows(c, r.name());
                }
                case CatalogRecord.BundleCommitted b -> {
                    lockRepo(c, b.bundle().repo());
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
                    lockRepo(c, m.repo());
                    if (bundleExists(c, m.repo(), m.toBundle())) {
                        moveLabel(c, m.repo(), m.label(), m.toBundle(), LabelCondition.ANY, m.by(), m.at());
                    }
                }
                case CatalogRecord.IngestionRecorded r -> {
                    lockRepo(c, r.ingestion().repo());
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
        return db.query("SELECT " + INGESTION_COLUMNS + " FROM ingestions WHERE repo = ? AND bundle_id = ?", s -> {
            s.setString(1, repo);
            s.setString(2, bundleId);
        }, JdbcCatalog::ingestion).stream().findFirst();
    }

    @Override
    public List<Ingestion> listIngestions(String repo) {
        return db.query("SELECT " + INGESTION_COLUMNS + " FROM ingestions WHERE repo = ? ORDER BY bundle_id",
                s -> s.setString(1, repo), JdbcCatalog::ingestion);
    }

    @Override
    public void forEachIngestion(Consumer<Ingestion> action) {
        db.stream("SELECT " + INGESTION_COLUMNS + " FROM ingestions ORDER BY repo, bundle_id", JdbcCatalog::ingestion, action);
    }


    @Override
    public LabelMove setLabel(String repo, String label, String bundleId, LabelCondition condition, Author by,
            Instant at) {
        return db.inTransaction(c -> {
            lockRepo(c, repo);
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
        return db.query(LABEL_SELECT + " WHERE repo = ? AND name = ?", s -> {
            s.setString(1, repo);
            s.setString(2, name);
        }, JdbcCatalog::label).stream().findFirst();
    }

    @Override
    public List<Label> listLabels(String repo) {
        return db.inConnection(c -> {
            requireRepo(c, repo);
            try (PreparedStatement s = c.prepareStatement(LABEL_SELECT + " WHERE repo = ? ORDER BY name")) {
                s.setString(1, repo);
                return JdbcDatabase.collect(s, JdbcCatalog::label);
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
        return db.inConnection(c -> {
            requireRepo(c, repo);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, repo);
                if (label != null) s.setString(2, label);
                return JdbcDatabase.collect(s, r -> new LabelMove(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        Instant.ofEpochMilli(r.getLong(5)), new Author(r.getString(6), r.getString(7))));
            }
        });
    }

}
