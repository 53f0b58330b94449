package dev.ferry.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.Author;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new home's catalog copied from the build's migrated empty one, and a damaged template that must not matter. */
class CatalogTemplateTest {
    @TempDir
    Path tmp;

    @AfterEach
    void noTemplate() {
        System.clearProperty(CatalogTemplate.PROPERTY);
    }

    private static String installedOn(JdbcDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT min(installed_on) || ' ' || count(*) FROM flyway_schema_history")) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void theFirstNewCatalogLeavesTheTemplateAndTheNextIsCopiedFromIt() throws Exception {
        Path template = tmp.resolve("runtime/catalog-template.db");
        Files.createDirectories(template.getParent());
        System.setProperty(CatalogTemplate.PROPERTY, template.toString());
        String first;
        try (JdbcDatabase db = JdbcDatabase.sqlite(tmp.resolve("home1/catalog.db"))) {
            first = installedOn(db);
        }
        assertThat(template).as("left by the first new catalog").isRegularFile();
        Thread.sleep(1_100); // a migration now would be recorded a second later
        try (JdbcDatabase db = JdbcDatabase.sqlite(tmp.resolve("home2/catalog.db"))) {
            assertThat(installedOn(db)).as("copied, not migrated again").isEqualTo(first);
            assertThat(Schema.installedVersion(db.dataSource())).isEqualTo(Schema.CURRENT_VERSION);
            db.catalog().createRepo("demo", "works", new Author("a", ""), Instant.now());
            assertThat(db.catalog().findRepo("demo")).isPresent();
        }
        try (JdbcDatabase db = JdbcDatabase.sqlite(tmp.resolve("home1/catalog.db"))) {
            assertThat(db.catalog().findRepo("demo")).as("homes share nothing but the empty schema").isEmpty();
        }
    }

    @Test
    void aDamagedTemplateIsDroppedAndTheNewCatalogMigrated() throws Exception {
        Path template = tmp.resolve("catalog-template.db");
        Files.write(template, "not a database, but long enough to look like one's first page".repeat(100).getBytes());
        System.setProperty(CatalogTemplate.PROPERTY, template.toString());
        try (JdbcDatabase db = JdbcDatabase.sqlite(tmp.resolve("home/catalog.db"))) {
            assertThat(Schema.installedVersion(db.dataSource())).isEqualTo(Schema.CURRENT_VERSION);
        }
        assertThat(template).as("made again from the migrated catalog").isRegularFile();
        try (JdbcDatabase db = JdbcDatabase.sqlite(tmp.resolve("home3/catalog.db"))) {
            assertThat(Schema.installedVersion(db.dataSource())).isEqualTo(Schema.CURRENT_VERSION);
        }
    }
}
