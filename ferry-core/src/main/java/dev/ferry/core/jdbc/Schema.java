package dev.ferry.core.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Brings a database to the current schema with Flyway; skips Flyway when it is already there. */
final class Schema {
    /** The newest migration's version; a test keeps it equal to the files under db/migration. */
    static final String CURRENT_VERSION = "10";

    private Schema() {}

    static void migrate(DataSource dataSource, SqlDialect dialect) {
        // Every CLI call opens the catalog: loading Flyway costs ~150 ms, a version check ~1 ms.
        if (CURRENT_VERSION.equals(installedVersion(dataSource))) {
            return;
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrationLocation())
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    static String installedVersion(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success"
                        + " ORDER BY installed_rank DESC LIMIT 1")) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException noHistoryYet) {
            return null;
        }
    }
}
