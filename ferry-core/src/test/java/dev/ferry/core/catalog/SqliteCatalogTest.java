package dev.ferry.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCatalogTest extends CatalogContract {
    @TempDir
    Path dir;

    @Override
    protected Catalog newCatalog() {
        return JdbcCatalog.sqlite(dir.resolve("catalog.db"));
    }

    @Test
    void reopeningSkipsMigrationsAndKeepsData() {
        catalog.createRepo("demo", "", ALICE, java.time.Instant.now());
        catalog.close();
        catalog = JdbcCatalog.sqlite(dir.resolve("catalog.db"));
        assertThat(catalog.findRepo("demo")).isPresent();
        assertThat(catalog.describe()).startsWith("jdbc:sqlite:");
    }

    @Test
    void currentVersionMatchesTheNewestMigrationFile() throws Exception {
        for (String vendor : new String[] {"sqlite", "postgresql"}) {
            Path folder = Path.of(getClass().getResource("/db/migration/" + vendor).toURI());
            try (Stream<Path> files = Files.list(folder)) {
                String newest = files.map(p -> p.getFileName().toString())
                        .map(n -> n.substring(1, n.indexOf("__")))
                        .max(java.util.Comparator.comparingInt(Integer::parseInt)).orElseThrow();
                assertThat(newest).as(vendor).isEqualTo(CatalogSchema.CURRENT_VERSION);
            }
        }
    }
}
