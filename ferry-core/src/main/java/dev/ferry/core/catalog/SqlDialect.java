package dev.ferry.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** What differs between the catalog's databases; everything else is the same SQL. */
enum SqlDialect {
    SQLITE("sqlite") {
        @Override
        void lockRepo(Connection c, String repo) {
            // Write transactions are BEGIN IMMEDIATE: SQLite already serializes every writer.
        }
    },
    POSTGRESQL("postgresql") {
        @Override
        void lockRepo(Connection c, String repo) throws SQLException {
            // Serializes writers of one repo (label moves read-then-write) without blocking others.
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                s.setString(1, "ferry.repo:" + repo);
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

    abstract void lockRepo(Connection c, String repo) throws SQLException;

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
