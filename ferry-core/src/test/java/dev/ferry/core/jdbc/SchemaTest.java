package dev.ferry.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SchemaTest {
    @Test
    void currentVersionMatchesTheNewestMigrationFile() throws Exception {
        for (String vendor : new String[] {"sqlite", "postgresql"}) {
            Path folder = Path.of(getClass().getResource("/db/migration/" + vendor).toURI());
            try (Stream<Path> files = Files.list(folder)) {
                String newest = files.map(p -> p.getFileName().toString())
                        .map(n -> n.substring(1, n.indexOf("__")))
                        .max(java.util.Comparator.comparingInt(Integer::parseInt)).orElseThrow();
                assertThat(newest).as(vendor).isEqualTo(Schema.CURRENT_VERSION);
            }
        }
    }
}
