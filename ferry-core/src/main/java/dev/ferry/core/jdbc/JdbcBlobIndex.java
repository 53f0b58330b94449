package dev.ferry.core.jdbc;

import dev.ferry.core.blob.BlobIndex;
import dev.ferry.core.blob.DamagedBlob;
import dev.ferry.core.blob.DerivedBlob;
import dev.ferry.core.blob.PackRecord;
import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobLocation;
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

/** The blob index over a {@link JdbcDatabase}: packs, blob locations, damaged copies and derived blobs. */
final class JdbcBlobIndex implements BlobIndex {
    private final JdbcDatabase db;

    JdbcBlobIndex(JdbcDatabase db) {
        this.db = db;
    }


    @Override
    public void addPack(PackRecord pack, List<BlobLocation> blobs, boolean relocate) {
        String conflict = relocate
                ? " ON CONFLICT (digest) DO UPDATE SET pack_id = excluded.pack_id,"
                        + " pack_offset = excluded.pack_offset, length = excluded.length"
                : " ON CONFLICT (digest) DO NOTHING";
        db.inTransaction(c -> {
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

    @Override
    public boolean anyDamaged() {
        return db.inConnection(JdbcBlobIndex::anyDamaged);
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
        db.inTransaction(c -> {
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
        return db.query("SELECT digest, pack_id, pack_offset, length, reason, found_at FROM damaged_blobs ORDER BY digest",
                s -> {}, r -> new DamagedBlob(blobLocation(r), r.getString(5), Instant.ofEpochMilli(r.getLong(6))));
    }

    @Override
    public void forgetDamaged(Collection<Digest> digests) {
        deleteEach("DELETE FROM damaged_blobs WHERE digest = ?", digests);
    }

    /** Runs {@code delete} (one parameter: a digest) for each of {@code digests}, in one transaction. */
    private void deleteEach(String delete, Collection<Digest> digests) {
        if (digests.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(delete)) {
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
        return db.inConnection(c -> {
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
        for (BlobLocation b : selectIn("SELECT digest, pack_id, pack_offset, length FROM blobs WHERE digest IN", List.of(),
                digests, JdbcBlobIndex::blobLocation)) {
            found.put(b.digest(), b);
        }
        return found;
    }

    /**
     * The rows of {@code select} + {@code " (?,…)"} for every one of {@code digests}, queried in batches
     * of {@link JdbcDatabase#IN_BATCH}; {@code leading} are bound before the digests.
     */
    private <T> List<T> selectIn(String select, List<String> leading, Collection<Digest> digests,
            JdbcDatabase.RowMapper<T> mapper) {
        List<T> rows = new ArrayList<>();
        if (digests.isEmpty()) {
            return rows;
        }
        List<Digest> all = List.copyOf(new LinkedHashSet<>(digests));
        return db.inConnection(c -> {
            for (int from = 0; from < all.size(); from += JdbcDatabase.IN_BATCH) {
                List<Digest> batch = all.subList(from, Math.min(all.size(), from + JdbcDatabase.IN_BATCH));
                try (PreparedStatement s = c.prepareStatement(select + " (" + "?,".repeat(batch.size() - 1) + "?)")) {
                    for (int i = 0; i < leading.size(); i++) {
                        s.setString(i + 1, leading.get(i));
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        s.setBytes(leading.size() + i + 1, batch.get(i).toBytes());
                    }
                    rows.addAll(JdbcDatabase.collect(s, mapper));
                }
            }
            return rows;
        });
    }

    private static BlobLocation blobLocation(ResultSet r) throws SQLException {
        return new BlobLocation(Digest.fromBytes(r.getBytes(1)), r.getString(2), r.getLong(3), r.getInt(4));
    }

    @Override
    public List<BlobLocation> blobsInPack(String packId) {
        return db.query("SELECT digest, pack_id, pack_offset, length FROM blobs WHERE pack_id = ? ORDER BY pack_offset",
                s -> s.setString(1, packId), JdbcBlobIndex::blobLocation);
    }

    @Override
    public void forEachBlob(Consumer<BlobLocation> action) {
        db.stream("SELECT digest, pack_id, pack_offset, length FROM blobs ORDER BY pack_id, pack_offset",
                JdbcBlobIndex::blobLocation, action);
    }

    @Override
    public void forEachDigest(Consumer<Digest> action) {
        db.stream("SELECT digest FROM blobs", r -> Digest.fromBytes(r.getBytes(1)), action);
    }

    @Override
    public List<PackRecord> listPacks() {
        return db.query("SELECT id, size, blob_count, created_at FROM packs ORDER BY id", s -> {}, JdbcBlobIndex::packRecord);
    }

    @Override
    public List<PackRecord> packsCreatedSince(Instant since) {
        return db.query("SELECT id, size, blob_count, created_at FROM packs WHERE created_at >= ? ORDER BY id",
                s -> s.setLong(1, since.toEpochMilli()), JdbcBlobIndex::packRecord);
    }

    private static PackRecord packRecord(ResultSet r) throws SQLException {
        return new PackRecord(r.getString(1), r.getLong(2), r.getInt(3), Instant.ofEpochMilli(r.getLong(4)));
    }

    @Override
    public void removePacks(Collection<String> packIds) {
        db.inTransaction(c -> {
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
    public Map<Digest, DerivedBlob> derived(String kind, Collection<Digest> sources) {
        Map<Digest, DerivedBlob> found = new HashMap<>();
        for (DerivedBlob d : selectIn("SELECT source, kind, derived FROM derived_blobs WHERE kind = ? AND source IN",
                List.of(kind), sources, JdbcBlobIndex::derivedBlob)) {
            found.put(d.source(), d);
        }
        return found;
    }

    private static DerivedBlob derivedBlob(ResultSet r) throws SQLException {
        byte[] derived = r.getBytes(3);
        return new DerivedBlob(Digest.fromBytes(r.getBytes(1)), r.getString(2),
                derived == null ? Optional.empty() : Optional.of(Digest.fromBytes(derived)));
    }

    @Override
    public void recordDerived(Collection<DerivedBlob> made, Instant at) {
        if (made.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO derived_blobs (source, kind, derived, made_at)"
                    + " VALUES (?,?,?,?) ON CONFLICT (source, kind) DO NOTHING")) {
                for (DerivedBlob d : made) {
                    s.setBytes(1, d.source().toBytes());
                    s.setString(2, d.kind());
                    s.setBytes(3, d.derived().map(Digest::toBytes).orElse(null));
                    s.setLong(4, at.toEpochMilli());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void forEachDerived(Consumer<DerivedBlob> action) {
        db.stream("SELECT source, kind, derived FROM derived_blobs", JdbcBlobIndex::derivedBlob, action);
    }

    @Override
    public void forgetDerived(Collection<Digest> sources) {
        deleteEach("DELETE FROM derived_blobs WHERE source = ?", sources);
    }
}
