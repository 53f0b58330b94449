package dev.ferry.core.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** What differs between the catalog's databases; everything else is the same SQL. */
enum SqlDialect {
    SQLITE("sqlite") {
        @Override
        void lock(Connection c, String key) {
            // Write transactions are BEGIN IMMEDIATE: SQLite already serializes every writer.
        }
    },
    POSTGRESQL("postgresql") {
        @Override
        void lock(Connection c, String key) throws SQLException {
            // Serializes the transactions that take one key (say, writers of one repo) without blocking others.
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                s.setString(1, key);
                s.execute();
            }
        }
    };

    private final String migrationFolder;

    SqlDialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    abstract void lock(Connection c, String key) throws SQLException;

    static SqlDialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported catalog URL: " + jdbcUrl);
    }
}
