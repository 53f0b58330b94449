package dev.ferry.core.jdbc;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Json;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunEvent;
import dev.ferry.core.run.RunLog;
import dev.ferry.core.run.RunSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The run log over a {@link JdbcDatabase}: runs, their events and leases. */
final class JdbcRunLog implements RunLog {
    private final JdbcDatabase db;

    JdbcRunLog(JdbcDatabase db) {
        this.db = db;
    }

    private static final String RUN_COLUMNS = "id, idempotency_key, spec, created_at";
    /** Progress and log lines do not move a run: folding only the rest keeps listing cheap. */
    private static final String MILESTONES = " AND type NOT IN ('progress', 'log')";

    @Override
    public void createRun(String id, String idempotencyKey, RunSpec spec, String owner, LoggedEvent first) {
        db.inTransaction(c -> {
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
        db.inConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, owner FROM runs WHERE owner IS NOT NULL")) {
                for (String[] row : JdbcDatabase.collect(s, r -> new String[] {r.getString(1), r.getString(2)})) {
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

    private List<Run> runs(String where, JdbcDatabase.Binder binder) {
        return db.inConnection(c -> {
            List<RunRow> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs" + where)) {
                binder.bind(s);
                rows.addAll(JdbcDatabase.collect(s, r -> new RunRow(r.getString(1), r.getString(2),
                        Json.read(r.getString(3), RunSpec.class), Instant.ofEpochMilli(r.getLong(4)))));
            }
            List<Run> out = new ArrayList<>(rows.size());
            for (RunRow row : rows) {
                List<LoggedEvent> milestones = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT run_id, seq, at, body FROM run_events WHERE run_id = ?"
                        + MILESTONES + " ORDER BY seq")) {
                    s.setString(1, row.id());
                    milestones.addAll(JdbcDatabase.collect(s, JdbcRunLog::event));
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
        db.inTransaction(c -> {
            for (String sql : List.of("UPDATE runs SET lease_until = ? WHERE id = ?",
                    "UPDATE claims SET lease_until = ? WHERE holder = ?")) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    for (String id : runIds) {
                        s.setLong(1, until.toEpochMilli());
                        s.setString(2, id);
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public boolean adopt(String runId, String formerOwner, String owner, Instant until) {
        return db.inTransaction(c -> {
            // "owner IS NULL" and "owner = ?" rather than IS NOT DISTINCT FROM, which SQLite lacks
            String sql = "UPDATE runs SET owner = ?, lease_until = ? WHERE id = ? AND "
                    + (formerOwner == null ? "owner IS NULL" : "owner = ?");
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, owner);
                s.setLong(2, until.toEpochMilli());
                s.setString(3, runId);
                if (formerOwner != null) {
                    s.setString(4, formerOwner);
                }
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void endLease(String runId) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE runs SET lease_until = NULL WHERE id = ?")) {
                s.setString(1, runId);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<ExpiredLease> leasesBefore(Instant t) {
        return db.query("SELECT id, owner, lease_until FROM runs WHERE lease_until < ? ORDER BY id", s -> s.setLong(1, t.toEpochMilli()),
                r -> new ExpiredLease(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3))));
    }

    @Override
    public void appendEvent(LoggedEvent event) {
        db.inTransaction(c -> {
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
        return db.query("SELECT run_id, seq, at, body FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?", s -> {
            s.setString(1, runId);
            s.setLong(2, after);
            s.setInt(3, limit);
        }, JdbcRunLog::event);
    }

    private static LoggedEvent event(ResultSet r) throws SQLException {
        return new LoggedEvent(r.getString(1), r.getLong(2), Instant.ofEpochMilli(r.getLong(3)),
                Json.read(r.getString(4), RunEvent.class));
    }

    // ---------------------------------------------------------------- labels

    @Override
    public Optional<String> claim(String name, String holder, Instant now, Instant until) {
        return db.inTransaction(c -> {
            db.lock(c, "ferry.claim:" + name);
            try (PreparedStatement s = c.prepareStatement("SELECT holder, lease_until FROM claims WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next() && !r.getString(1).equals(holder) && r.getLong(2) >= now.toEpochMilli()) {
                        return Optional.of(r.getString(1));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO claims (name, holder, lease_until) VALUES (?,?,?)"
                    + " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until")) {
                s.setString(1, name);
                s.setString(2, holder);
                s.setLong(3, until.toEpochMilli());
                s.executeUpdate();
            }
            return Optional.<String>empty();
        });
    }

    @Override
    public void release(String name, String holder) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM claims WHERE name = ? AND holder = ?")) {
                s.setString(1, name);
                s.setString(2, holder);
                s.executeUpdate();
            }
            return null;
        });
    }
}
