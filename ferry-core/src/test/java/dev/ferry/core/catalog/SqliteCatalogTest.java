package dev.ferry.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.jdbc.JdbcDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCatalogTest extends CatalogContract {
    @TempDir
    Path dir;

    private JdbcDatabase db;

    @Override
    protected Catalog newCatalog() {
        db = JdbcDatabase.sqlite(dir.resolve("catalog.db"));
        return db.catalog();
    }

    @Override
    protected void closeCatalog() {
        db.close();
    }

    @Test
    void reopeningSkipsMigrationsAndKeepsData() {
        catalog.createRepo("demo", "", ALICE, java.time.Instant.now());
        db.close();
        catalog = newCatalog();
        assertThat(catalog.findRepo("demo")).isPresent();
        assertThat(catalog.describe()).startsWith("jdbc:sqlite:");
    }
}
