package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.core.ingest.Category;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parity corpus ({@link ParityCorpus}): every case through the preflight the CLI uses, with its
 * verdict, exit code and the word its message must name; every good dataset pushed end to end (its
 * rows exported and counted, its columns checked); every bad dataset refused by a push before
 * anything is stored. One validator everywhere: the push's own checks are the preflight's.
 */
class ParityCorpusTest {
    /** Read from the sources (not the classpath copy), so the corpus' symbolic links stay links. */
    static final Path CORPUS = Path.of("src/test/resources/parity");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    static Path tmp;

    static CliRun ferry;

    record Spec(String name, Path dir, String rule, String verdict, String word, String target, String config,
            List<String> flags, Integer rows, List<String> columns) {
        boolean good() {
            return verdict.equals("ok");
        }

        /** A dataset (pushed), not a config checked on its own. */
        boolean dataset() {
            return target == null || !target.endsWith(".yaml");
        }

        List<String> args(String... command) {
            List<String> args = new ArrayList<>(List.of(command));
            if (target != null) args.add(dir.resolve(target).toString());
            if (config != null) args.addAll(List.of("--config", dir.resolve(config).toString()));
            args.addAll(flags);
            return args;
        }

        String table() {
            int i = flags.indexOf("--table");
            if (i < 0) i = flags.indexOf("--name");
            if (i >= 0) return flags.get(i + 1);
            try {
                return YAML.readTree(dir.resolve(config).toFile()).path("table").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static List<Spec> cases() {
        List<Spec> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(CORPUS)) {
            for (Path dir : dirs.sorted().toList()) {
                JsonNode c = YAML.readTree(dir.resolve("case.yaml").toFile());
                String rule = Files.readAllLines(dir.resolve("case.yaml")).get(0).substring(2);
                List<String> flags = new ArrayList<>();
                c.path("flags").forEach(f -> flags.add(f.asText()));
                List<String> columns = new ArrayList<>();
                c.path("columns").forEach(f -> columns.add(f.asText()));
                out.add(new Spec(dir.getFileName().toString(), dir, rule, c.path("verdict").asText(), c.path("word").asText(),
                        c.path("target").isNull() ? null : c.path("target").asText(),
                        c.path("config").isNull() ? null : c.path("config").asText(), flags,
                        c.has("rows") ? c.get("rows").asInt() : null, columns));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @BeforeAll
    static void start() {
        ferry = new CliRun(tmp.resolve("home"));
    }

    @AfterAll
    static void stop() {
        ferry.stopServers();
    }

    @Test
    void theCorpusHasAGoodAndABadCaseOfEveryCategory() {
        List<Spec> all = cases();
        assertThat(all).hasSizeGreaterThanOrEqualTo(100);
        for (Category category : Category.values()) {
            List<Spec> datasets = all.stream().filter(s -> s.dataset() && s.flags().contains(category.id())).toList();
            assertThat(datasets).as(category.id()).anyMatch(Spec::good).anyMatch(s -> !s.good());
            assertThat(all).as(category.id() + " config").anyMatch(s -> !s.dataset() && s.name().endsWith("config-" + category.id()));
        }
        assertThat(all).allSatisfy(s -> assertThat(s.good() || !s.word().isEmpty()).as(s.name() + " names a word").isTrue());
    }

    @TestFactory
    Stream<DynamicTest> everyCaseGetsItsVerdictFromThePreflight() {
        return cases().stream().map(s -> DynamicTest.dynamicTest(s.name() + ": " + s.rule(), () -> {
            CliRun.Result r = ferry.run(s.args("ingest", "validate").toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isEqualTo(s.good() ? 0 : 2);
            // the word is in a message, not merely in a path the output shows (case folders are named after their rule)
            assertThat((r.out() + r.err()).replace(s.dir().toString(), "<case>")).as(r.toString()).contains(s.word());
            CliRun.Result json = ferry.run(s.args("ingest", "validate", "-o", "json").toArray(String[]::new));
            assertThat(json.exit()).isEqualTo(r.exit());
            assertThat(json.json().path("valid").asBoolean()).as(json.toString()).isEqualTo(s.good());
        }));
    }

    /**
     * The rows engine checks large CSV tables (EngineTableCheck; these small ones only when the size it
     * starts at is lowered): every tabular case gets the same report from it as from the Java checks,
     * word for word, whether the engine takes the case or leaves it to them.
     */
    @TestFactory
    Stream<DynamicTest> theRowsEngineReportsEveryTabularCaseAsTheJavaChecksDo() {
        String property = "ferry.rows-engine.min-bytes";
        return cases().stream().filter(s -> s.dataset() && s.name().contains("tabular"))
                .map(s -> DynamicTest.dynamicTest(s.name() + ": " + s.rule(), () -> {
                    String[] args = s.args("ingest", "validate", "-o", "json").toArray(String[]::new);
                    CliRun.Result java = ferry.run(args);
                    System.setProperty(property, "0");
                    try {
                        CliRun.Result engine = ferry.run(args);
                        assertThat(engine.exit()).isEqualTo(java.exit());
                        assertThat(engine.out()).isEqualTo(java.out());
                    } finally {
                        System.clearProperty(property);
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyGoodDatasetPushesAndEveryBadOneIsRefusedBeforeAnythingMoves() {
        return cases().stream().filter(Spec::dataset).map(s -> DynamicTest.dynamicTest(s.name() + ": " + s.rule(), () -> {
            CliRun.Result push = ferry.run(s.args("dataset", "push").toArray(String[]::new));
            if (!s.good()) {
                assertThat(push.exit()).as(push.toString()).isEqualTo(2);
                assertThat(push.err()).contains("nothing was uploaded");
                CliRun.Result repos = ferry.run("repo", "list", "-o", "json");
                assertThat(repos.out()).doesNotContain("\"" + s.table() + "\"");
                return;
            }
            assertThat(push.exit()).as(push.toString()).isZero();
            assertThat(push.out()).contains(s.rows() + " inserted");
            CliRun.Result rows = ferry.run("dataset", "export", s.table(), "--format", "jsonl");
            assertThat(rows.exit()).as(rows.toString()).isZero();
            assertThat(rows.outLines()).hasSize(s.rows());
            List<String> columns = new ArrayList<>();
            new ObjectMapper().readTree(rows.outLines().get(0)).fieldNames().forEachRemaining(columns::add);
            assertThat(columns).isEqualTo(s.columns());
            // pushing the same data again stores nothing new and names the same version
            CliRun.Result again = ferry.run(s.args("dataset", "push").toArray(String[]::new));
            assertThat(again.exit()).as(again.toString()).isZero();
            assertThat(again.out()).contains("0 inserted").contains("unchanged");
        }));
    }
}
