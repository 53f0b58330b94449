package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.ferry.core.catalog.CatalogRecord;
import dev.ferry.core.manifest.ManifestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/reliability.md and docs/storage-format.md true: every test the fault table names exists
 * (class, and method by the start of its name), and the journal kinds and path limits the storage
 * format documents are the code's.
 */
class ReliabilityDocTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void everyTestTheFaultTableNamesExists() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/reliability.md"));
        Matcher named = Pattern.compile("`([A-Z][A-Za-z]+Test)(?:\\.([a-zA-Z]+)…?)?`").matcher(doc);
        List<String> checked = new ArrayList<>();
        while (named.find()) {
            String type = named.group(1);
            String method = named.group(2);
            Path source = find(type + ".java");
            assertThat(source).as("test class " + type + " named in docs/reliability.md").isNotNull();
            if (method != null) {
                assertThat(Files.readString(source)).as(type + "." + method + " named in docs/reliability.md")
                        .containsPattern("void " + method + "[A-Za-z0-9]*\\(");
            }
            checked.add(named.group());
        }
        assertThat(checked).hasSizeGreaterThan(20);
    }

    private static Path find(String fileName) throws IOException {
        try (Stream<Path> files = Files.walk(ROOT, 12)) {
            // not bench/work: A/B checkouts of older builds live there
            return files.filter(p -> p.toString().contains("/src/test/") && !p.toString().contains("/bench/work/")
                            && p.getFileName().toString().equals(fileName))
                    .findFirst().orElse(null);
        }
    }

    @Test
    void theStorageFormatDocumentsTheJournalKindsAndPathLimitsOfTheCode() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/storage-format.md"));
        for (JsonSubTypes.Type kind : CatalogRecord.class.getAnnotation(JsonSubTypes.class).value()) {
            assertThat(doc).as("journal kind " + kind.name()).contains("| `" + kind.name() + "` |");
        }
        assertThat(doc).contains("{\"format\": " + CatalogRecord.FORMAT + ",");
        assertThat(doc).startsWith("# Storage format (version " + dev.ferry.core.FerryVersion.STORAGE_FORMAT + ")")
                .contains("`" + dev.ferry.core.rows.ParquetRows.FILE + "` (format " + dev.ferry.core.FerryVersion.STORAGE_FORMAT + ",");
        assertThat(doc).contains("at most " + String.format("%,d", ManifestPaths.MAX_PATH_BYTES).replace(",", "") + " bytes")
                .contains("each component at most " + ManifestPaths.MAX_NAME_BYTES + " bytes");
    }

    @Test
    void theStorageFormatDocumentsEveryTableTheMigrationsCreate() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/storage-format.md"));
        for (String dialect : List.of("sqlite", "postgresql")) {
            List<String> tables = new ArrayList<>();
            try (Stream<Path> files = Files.list(ROOT.resolve("ferry-core/src/main/resources/db/migration/" + dialect))) {
                for (Path migration : files.toList()) {
                    Matcher created = Pattern.compile("CREATE TABLE (\\w+)").matcher(Files.readString(migration));
                    while (created.find()) {
                        tables.add(created.group(1));
                    }
                }
            }
            assertThat(tables).as(dialect).contains("derived_blobs").hasSizeGreaterThan(10);
            for (String table : tables) {
                assertThat(doc).as("table " + table + " (" + dialect + ") in docs/storage-format.md").contains("| `" + table + "` |");
            }
        }
    }
}
