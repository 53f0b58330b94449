package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestValidateCliTest {
    @TempDir
    Path tmp;

    CliRun ferry;

    @BeforeEach
    void setUp() {
        ferry = new CliRun(tmp.resolve("home"));
    }

    private static final String GOOD = """
            apiVersion: ferry.dev/v1
            kind: IngestConfig
            category: image_classification
            table: cats
            intent: train
            csv: labels.csv
            images: images
            label: label
            """;

    @Test
    void aValidConfigFileIsOk() throws Exception {
        Path file = Files.writeString(tmp.resolve("ingest.yaml"), GOOD);
        CliRun.Result r = ferry.run("ingest", "validate", file.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(file + ": ok (the config on its own; name the dataset folder to check its data too)\n");
        assertThat(tmp.resolve("home")).doesNotExist(); // local only: no store, no server
    }

    @Test
    void anInvalidConfigListsIssuesWithLinesAndExitsTwo() throws Exception {
        Path file = Files.writeString(tmp.resolve("ingest.yaml"), GOOD.replace("intent: train\n", "")
                .replace("image_classification", "cat"));
        CliRun.Result r = ferry.run("ingest", "validate", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.outLines()).containsExactly(file + ": 2 problems",
                "  <root>: missing required \"intent\" (line 1, column 1)",
                "  category: \"cat\" is not one of [image_classification, object_detection, keypoint_detection, "
                        + "semantic_segmentation, text_classification, token_classification, sentence_pair_classification, "
                        + "masked_language_modeling, causal_language_modeling, seq2seq, embeddings, tabular_classification, "
                        + "tabular_regression, time_series_forecasting, time_series_classification, time_to_event_prediction]"
                        + " (line 3, column 11)");
        JsonNode json = ferry.run("ingest", "validate", file.toString(), "-o", "json").json();
        assertThat(json.get("valid").asBoolean()).isFalse();
        assertThat(json.at("/config/issues/1/path").asText()).isEqualTo("category");
        assertThat(json.at("/config/issues/1/line").asInt()).isEqualTo(3);
    }

    @Test
    void unreadableOrNotYamlIsExitThree() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "kind: [oops\n");
        CliRun.Result r = ferry.run("ingest", "validate", broken.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("error: ").contains("is not valid YAML at line");
        assertThat(ferry.run("ingest", "validate", tmp.resolve("nope.yaml").toString()).exit()).isEqualTo(3);
    }

    @Test
    void aDatasetFolderIsCheckedWithFlagsOrItsOwnConfig() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("cats")).csv("filename,label", "a0.jpg,cat", "a1.jpg,dog")
                .images("a", 2, 32, 32);
        String dir = d.dir().toString();
        CliRun.Result ok = ferry.run("ingest", "validate", dir, "--table", "cats", "--category", "image_classification",
                "--intent", "train", "--label-column", "label");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).startsWith(dir + ": ok — 2 records, 2 files, 2 labels (cat, dog)");

        CliRun.Result wrongSize = ferry.run("ingest", "validate", dir, "--table", "cats", "--category",
                "image_classification", "--intent", "train", "--label-column", "label", "--target-size", "64x64");
        assertThat(wrongSize.exit()).isEqualTo(2);
        assertThat(wrongSize.out()).contains("error: images that are not 64x64 (width x height): images/a0.jpg is 32x32,"
                + " images/a1.jpg is 32x32");

        CliRun.Result notApplicable = ferry.run("ingest", "validate", dir, "--table", "cats", "--category",
                "image_classification", "--intent", "train", "--label-column", "label", "--time-column", "ts");
        assertThat(notApplicable.exit()).isEqualTo(2);
        assertThat(notApplicable.out()).contains("  --time-column: does not apply to category image_classification");

        d.file("ingest.yaml", GOOD);
        CliRun.Result own = ferry.run("ingest", "validate", dir, "--print-config");
        assertThat(own.exit()).as(own.toString()).isZero();
        assertThat(own.out()).contains("table: cats").contains("images: images").contains("(config: " + d.dir().resolve("ingest.yaml") + ")")
                .contains("# in effect where the config is silent:")
                .contains("#   target_size: the first image's size (inferred) (every image); min_size: 32x32")
                .contains("#   extension: the most common one in the images folder (inferred)")
                .contains("#   data_id: content_hash");
        JsonNode json = ferry.run("ingest", "validate", dir, "-o", "json", "--print-config").json();
        assertThat(json.at("/dataset/records").asInt()).isEqualTo(2);
        assertThat(json.at("/config/resolved/table").asText()).isEqualTo("cats");
    }

    @Test
    void theSchemaCanBePrinted() {
        CliRun.Result r = ferry.run("ingest", "schema");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\"$id\" : \"https://ferry.dev/schemas/ingest.v1.json\"".replace(" : ", ": "));
    }

    /** What the jar's entry point answers by itself (empty: it leaves the command to the full CLI). */
    private static java.util.Optional<CliRun.Result> quick(String... args) {
        return CliRun.answered((out, err) -> QuickValidate.run(List.of(args), out, err));
    }

    @Test
    void theEntryPointChecksAConfigFileItselfAndSaysExactlyWhatTheCliSays() throws Exception {
        Path good = Files.writeString(tmp.resolve("ingest.yaml"), GOOD);
        Path json = Files.writeString(tmp.resolve("ingest.json"), "{\"apiVersion\": \"ferry.dev/v1\", \"kind\": \"IngestConfig\", "
                + "\"category\": \"tabular_regression\", \"table\": \"t\", \"intent\": \"train\", \"csv\": \"x.csv\", "
                + "\"label\": \"price\", \"target_size\": [1.5, 9999999999]}");
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "\uFEFF" + GOOD.replace("intent: train", "intent: validate")
                .replace("table: cats", "table: 1x\nextra: [1, {a: 2}]"));
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "kind: [oops\n");
        Path notJson = Files.writeString(tmp.resolve("broken.json"), "{\"kind\": ");
        Path empty = Files.writeString(tmp.resolve("empty.yaml"), "");
        Path list = Files.writeString(tmp.resolve("list.yaml"), "- a\n- b\n");
        Path latin1 = Files.write(tmp.resolve("latin1.yaml"), "table: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (Path file : List.of(good, json, bad, broken, notJson, empty, list, latin1)) {
            CliRun.Result cli = ferry.run("ingest", "validate", file.toString());
            assertThat(quick("ingest", "validate", file.toString())).as(file.getFileName().toString()).contains(cli);
        }
        assertThat(quick("ingest", "validate", good.toString()).orElseThrow().exit()).isZero();
        assertThat(quick("ingest", "validate", bad.toString()).orElseThrow().exit()).isEqualTo(2);
        assertThat(quick("ingest", "validate", broken.toString()).orElseThrow().exit()).isEqualTo(3);
        assertThat(tmp.resolve("home")).doesNotExist(); // local only: no store, no server
    }

    @Test
    void everythingButAConfigFileAloneIsLeftToTheFullCli() throws Exception {
        Path good = Files.writeString(tmp.resolve("ingest.yaml"), GOOD);
        assertThat(quick("ingest", "validate", tmp.toString())).isEmpty(); // a dataset folder
        assertThat(quick("ingest", "validate", tmp.resolve("missing.yaml").toString())).isEmpty();
        assertThat(quick("ingest", "validate", good.toString(), "--print-config")).isEmpty();
        assertThat(quick("-o", "json", "ingest", "validate", good.toString())).isEmpty();
        assertThat(quick("ingest", "validate", "--help")).isEmpty();
        assertThat(quick("ingest", "schema", good.toString())).isEmpty();
    }

    /**
     * The point of the quick path is a short start: the entry point, as its own JVM, must check a
     * config without loading picocli or databind's ObjectMapper (whose first use alone costs ~30 ms).
     */
    @Test
    void theQuickPathLoadsNeitherPicocliNorAnObjectMapper() throws Exception {
        Path good = Files.writeString(tmp.resolve("ingest.yaml"), GOOD);
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), GOOD.replace("intent: train", "intent: validate"));
        for (Path config : List.of(good, bad)) {
            Path log = tmp.resolve("classes-" + config.getFileName() + ".log");
            ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "-Xlog:class+init=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                    ThinClient.class.getName(), "ingest", "validate", config.toString());
            builder.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
            builder.environment().put("FERRY_HOME", tmp.resolve("home").toString());
            builder.redirectErrorStream(true);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isEqualTo(config == good ? 0 : 2);
            assertThat(output).startsWith(config + (config == good ? ": ok" : ": 1 problem"));
            String initialized = Files.readString(log);
            assertThat(initialized).contains("dev/ferry/cli/QuickValidate")
                    .doesNotContain("picocli/").doesNotContain("com/fasterxml/jackson/databind/ObjectMapper'");
        }
        assertThat(tmp.resolve("home")).doesNotExist();
    }
}
