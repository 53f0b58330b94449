package dev.ferry.core.auth;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Tokens in the catalog's database (table {@code tokens}, migration V7), over its connection pool. */
public final class JdbcTokenStore implements TokenStore {
    private static final String COLUMNS = "name, tables, read_only, created_at, revoked_at";

    private final DataSource db;
    private final String where;

    /** {@code where} names the database in messages. */
    public JdbcTokenStore(DataSource db, String where) {
        this.db = db;
        this.where = where;
    }

    @Override
    public Token create(String name, byte[] secretHash, String tables, boolean readOnly, Instant at) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (find(c, "name = ?", name).isPresent()) {
                    throw taken(name);
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO tokens (name, hash, tables, read_only, created_at)"
                        + " VALUES (?,?,?,?,?)")) {
                    s.setString(1, name);
                    s.setBytes(2, secretHash);
                    s.setString(3, tables);
                    s.setBoolean(4, readOnly);
                    s.setLong(5, at.toEpochMilli());
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException sql && ("23505".equals(sql.getSQLState())
                        || String.valueOf(sql.getMessage()).contains("UNIQUE"))) {
                    throw taken(name);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return new Token(name, tables, readOnly, Instant.ofEpochMilli(at.toEpochMilli()), null);
    }

    private static FerryException taken(String name) {
        return new FerryException(ErrorCode.CONFLICT, "a token named '" + name + "' exists already (names are never reused)",
                "pick another name; 'ferry token list' shows them");
    }

    @Override
    public Optional<Token> findByHash(byte[] secretHash) {
        try (Connection c = db.getConnection()) {
            return find(c, "hash = ?", secretHash);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static Optional<Token> find(Connection c, String condition, Object value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens WHERE " + condition)) {
            s.setObject(1, value);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(token(r)) : Optional.empty();
            }
        }
    }

    private static Token token(ResultSet r) throws SQLException {
        long revoked = r.getLong(5);
        Instant revokedAt = r.wasNull() ? null : Instant.ofEpochMilli(revoked); // wasNull speaks of the last read
        return new Token(r.getString(1), r.getString(2), r.getBoolean(3), Instant.ofEpochMilli(r.getLong(4)), revokedAt);
    }

    @Override
    public List<Token> list() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens ORDER BY name");
                ResultSet r = s.executeQuery()) {
            List<Token> all = new ArrayList<>();
            while (r.next()) {
                all.add(token(r));
            }
            return all;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Token revoke(String name, Instant at) {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
                s.setLong(1, at.toEpochMilli());
                s.setString(2, name);
                s.executeUpdate();
            }
            return find(c, "name = ?", name).orElseThrow(() -> FerryException.notFound("no token named '" + name + "'",
                    "'ferry token list' shows them"));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private FerryException failed(SQLException e) {
        return new FerryException(ErrorCode.INTERNAL, "token store error (" + where + "): " + e.getMessage(),
                "run with --verbose and report it", e);
    }
}
