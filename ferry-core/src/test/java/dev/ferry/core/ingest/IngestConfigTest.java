package dev.ferry.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A minimal valid config for a category, as a user would write it. */
    static ObjectNode minimal(Category c) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("apiVersion", "ferry.dev/v1").put("kind", "IngestConfig").put("category", c.id())
                .put("table", "t_" + c.id()).put("intent", "train").put("csv", "labels.csv");
        switch (c) {
            case IMAGE_CLASSIFICATION -> doc.put("images", "images").put("label", "label");
            case OBJECT_DETECTION -> doc.put("images", "images").put("annotations", "annotations");
            case KEYPOINT_DETECTION -> doc.put("images", "images").put("number_of_keypoints", 17);
            case SEMANTIC_SEGMENTATION -> doc.put("images", "images").put("masks", "masks");
            case TABULAR_REGRESSION, TIME_TO_EVENT_PREDICTION -> doc.putObject("label").put("column", "y").put("policy", "passthrough");
            case TIME_SERIES_FORECASTING -> {
                doc.put("time_column", "ts");
                doc.putObject("label").put("column", "y");
            }
            case TIME_SERIES_CLASSIFICATION -> doc.put("time_column", "ts").put("label", "label");
            case MASKED_LANGUAGE_MODELING, CAUSAL_LANGUAGE_MODELING, EMBEDDINGS -> { }
            default -> doc.put("label", "label");
        }
        return doc;
    }

    private static List<String> issues(JsonNode doc) {
        return IngestSchema.get().validate(doc).stream().map(i -> i.path() + ": " + i.message()).toList();
    }

    @Test
    void aMinimalConfigOfEveryCategoryIsValidAndResolves() {
        for (Category c : Category.values()) {
            ObjectNode doc = minimal(c);
            assertThat(issues(doc)).as(c.id()).isEmpty();
            IngestConfig config = IngestConfig.from(doc);
            assertThat(config.category()).isEqualTo(c);
            assertThat(config.dataId().strategy()).isEqualTo(IngestDefaults.DATA_ID_STRATEGY);
            assertThat(config.csv().delimiter()).isEqualTo(',');
        }
    }

    @Test
    void theCategorySidecarTableMatchesTheSchema() {
        for (Category c : Category.values()) {
            for (String sidecar : IngestConfig.SIDECARS) {
                ObjectNode doc = minimal(c);
                doc.put(sidecar, sidecar);
                boolean allowed = issues(doc).isEmpty();
                assertThat(allowed).as(c.id() + " " + sidecar).isEqualTo(c.sidecars().contains(sidecar));
            }
        }
    }

    @Test
    void theTraceblocAliasIsAccepted() {
        ObjectNode doc = minimal(Category.IMAGE_CLASSIFICATION);
        doc.put("apiVersion", "tracebloc.io/v1");
        assertThat(issues(doc)).isEmpty();
        doc.put("apiVersion", "v2");
        assertThat(issues(doc)).containsExactly("apiVersion: \"v2\" is not one of [ferry.dev/v1, tracebloc.io/v1]");
    }

    @Test
    void errorsNameThePathAndTheReasonSortedByPath() {
        ObjectNode doc = minimal(Category.IMAGE_CLASSIFICATION);
        doc.remove("intent");
        doc.put("category", "cat");
        doc.put("table", "1bad-name");
        doc.putObject("spec").putObject("csv_options").put("delimiter", ";;");
        assertThat(issues(doc)).containsExactly(
                "<root>: missing required \"intent\"",
                "category: \"cat\" is not one of [" + String.join(", ", Category.ids()) + "]",
                "spec.csv_options.delimiter: \";;\" is longer than 1 characters",
                "table: \"1bad-name\" does not match ^[A-Za-z_][A-Za-z0-9_]*$");
    }

    @Test
    void categoryRules() {
        ObjectNode doc = minimal(Category.IMAGE_CLASSIFICATION);
        doc.put("masks", "masks");
        doc.remove("images");
        assertThat(issues(doc)).containsExactly("<root>: missing required \"images\"",
                "masks: does not apply to category image_classification");

        doc = minimal(Category.TABULAR_REGRESSION);
        doc.put("label", "y");
        assertThat(issues(doc)).containsExactly("label: category tabular_regression needs the label as {column, policy}");

        doc = minimal(Category.EMBEDDINGS);
        doc.put("label", "y");
        assertThat(issues(doc)).containsExactly("label: does not apply to category embeddings");

        doc = minimal(Category.TABULAR_CLASSIFICATION);
        doc.putObject("label").put("column", "y").put("policy", "bucket");
        assertThat(issues(doc)).anyMatch(i -> i.startsWith("label"));
        ((ObjectNode) doc.get("label")).putArray("buckets").add(1).add(10);
        assertThat(issues(doc)).isEmpty();

        doc = minimal(Category.TEXT_CLASSIFICATION);
        doc.put("target_size", JSON.createArrayNode().add(1).add(2));
        assertThat(issues(doc)).containsExactly("target_size: does not apply to category text_classification");

        doc = minimal(Category.KEYPOINT_DETECTION);
        doc.remove("number_of_keypoints");
        assertThat(issues(doc)).containsExactly("<root>: missing required \"number_of_keypoints\"");
    }

    @Test
    void exactlyOneRecordsFile() {
        ObjectNode doc = minimal(Category.TABULAR_CLASSIFICATION);
        doc.put("json", "records.json");
        assertThat(issues(doc)).containsExactly("<root>: give either \"csv\" or \"json\", not both");
        doc.remove("csv");
        doc.remove("json");
        assertThat(issues(doc)).containsExactly("<root>: missing the records file: give \"csv\" or \"json\" (or put a labels.csv in the dataset folder)");
    }

    @Test
    void pathsMustStayInsideTheDataset() {
        ObjectNode doc = minimal(Category.IMAGE_CLASSIFICATION);
        doc.put("images", "../elsewhere");
        doc.put("csv", "/etc/passwd");
        assertThat(issues(doc)).hasSize(2).allMatch(i -> i.contains("does not match"));
    }

    @Test
    void yamlIssuesCarryLineAndColumn() throws IOException {
        Path file = tmp.resolve("ingest.yaml");
        Files.writeString(file, """
                apiVersion: ferry.dev/v1
                kind: IngestConfig
                category: image_classification
                table: cats
                intent: validate
                csv: labels.csv
                images: images
                label: label
                """);
        ConfigResolver.Resolved r = ConfigResolver.resolve(file, null, ConfigFlags.NONE);
        assertThat(r.valid()).isFalse();
        assertThat(r.issues()).singleElement().satisfies(i -> {
            assertThat(i.format()).isEqualTo("  intent: \"validate\" is not one of [train, test] (line 5, column 9)");
        });
    }

    @Test
    void unreadableOrNonYamlFilesAreLocalErrors() throws IOException {
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "kind: [unclosed\n  table: x\n");
        assertThatThrownBy(() -> ConfigResolver.resolve(broken, null, ConfigFlags.NONE))
                .isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.LOCAL_PATH))
                .hasMessageContaining("is not valid YAML at line");
        Path latin1 = Files.write(tmp.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9});
        assertThatThrownBy(() -> ConfigResolver.resolve(latin1, null, ConfigFlags.NONE)).hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> ConfigResolver.resolve(tmp.resolve("missing.yaml"), null, ConfigFlags.NONE))
                .hasMessageContaining("does not exist");
        Path list = Files.writeString(tmp.resolve("list.yaml"), "- a\n- b\n");
        assertThat(ConfigResolver.resolve(list, null, ConfigFlags.NONE).issues()).singleElement()
                .satisfies(i -> assertThat(i.message()).contains("got array"));
        Path empty = Files.writeString(tmp.resolve("empty.yaml"), "");
        assertThat(ConfigResolver.resolve(empty, null, ConfigFlags.NONE).issues()).singleElement()
                .satisfies(i -> assertThat(i.message()).isEqualTo("the config file is empty"));
    }

    @Test
    void flagsBuildAConfigAndOverrideAFile() throws IOException {
        Path dataset = Files.createDirectories(tmp.resolve("cats"));
        Files.createDirectories(dataset.resolve("images"));
        Files.writeString(dataset.resolve("labels.csv"), "filename,label\n");
        ConfigFlags flags = new ConfigFlags("cats_train", "image_classification", "train", "label", null, null,
                "256x256", "32x32", "jpg", null, null, null, null);
        ConfigResolver.Resolved r = ConfigResolver.resolve(dataset, null, flags);
        assertThat(r.issues()).isEmpty();
        IngestConfig c = r.config();
        assertThat(c.table()).isEqualTo("cats_train");
        assertThat(c.records()).isEqualTo(new IngestConfig.RecordsFile("labels.csv", IngestConfig.Format.CSV));
        assertThat(c.sidecars()).isEqualTo(Map.of("images", "images"));
        assertThat(c.targetSize()).isEqualTo(new Size(256, 256));
        assertThat(c.minSize()).isEqualTo(new Size(32, 32));
        assertThat(c.extension()).isEqualTo("jpg");

        Files.writeString(dataset.resolve("ingest.yaml"), """
                apiVersion: ferry.dev/v1
                kind: IngestConfig
                category: image_classification
                table: from_file
                intent: test
                label: {column: kind, policy: passthrough}
                """);
        ConfigResolver.Resolved merged = ConfigResolver.resolve(dataset, null,
                new ConfigFlags(null, null, "train", "species", null, null, null, null, null, null, null, null, null));
        assertThat(merged.issues()).isEmpty();
        assertThat(merged.config().table()).isEqualTo("from_file");
        assertThat(merged.config().intent()).isEqualTo("train");
        assertThat(merged.config().label().column()).isEqualTo("species");
        assertThat(merged.configFile()).isEqualTo(dataset.resolve("ingest.yaml"));
    }

    @Test
    void aFlagThatDoesNotApplyIsNamedAsTheFlag() throws IOException {
        Path dataset = Files.createDirectories(tmp.resolve("texts"));
        Files.writeString(dataset.resolve("labels.csv"), "filename,label\n");
        ConfigFlags flags = new ConfigFlags("t", "text_classification", "train", "label", null, null, "256x256", null,
                null, null, null, 5, null);
        ConfigResolver.Resolved r = ConfigResolver.resolve(dataset, null, flags);
        assertThat(r.issues()).extracting(ConfigIssue::path, ConfigIssue::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("--number-of-keypoints", "does not apply to category text_classification"),
                org.assertj.core.groups.Tuple.tuple("--target-size", "does not apply to category text_classification"));
        assertThatThrownBy(() -> ConfigResolver.resolve(dataset, null, new ConfigFlags(null, null, null, null, null,
                null, "big", null, null, null, null, null, null)))
                .satisfies(e -> assertThat(((FerryException) e).hint()).contains("WIDTHxHEIGHT"));
        assertThatThrownBy(() -> ConfigResolver.resolve(dataset, null, new ConfigFlags(null, null, null, null, null,
                null, null, null, null, "age", null, null, null)))
                .satisfies(e -> assertThat(((FerryException) e).hint()).contains("column:TYPE"));
    }

    @Test
    void schemaTypesAndValues() {
        assertThat(SqlType.parse("varchar(3)").problem("abcd")).isEqualTo("longer than 3 characters");
        assertThat(SqlType.parse("INT").problem("12x")).isEqualTo("not a INT");
        assertThat(SqlType.parse("INT").problem("99999999999")).contains("out of range");
        assertThat(SqlType.parse("DECIMAL(5,2)").problem("123.45")).isNull();
        assertThat(SqlType.parse("DECIMAL(5,2)").problem("1234.5")).contains("digits before");
        assertThat(SqlType.parse("DATE").problem("2024-13-01")).contains("YYYY-MM-DD");
        assertThat(SqlType.parse("DATETIME").problem("2024-01-01 10:00:00")).isNull();
        assertThat(SqlType.parse("BOOLEAN").problem("maybe")).contains("not a boolean");
        assertThat(SqlType.parse("FLOAT").problem("")).isNull();
        ObjectNode doc = minimal(Category.TABULAR_CLASSIFICATION);
        doc.putObject("schema").put("age", "INT").put("name", "STRING");
        assertThat(issues(doc)).singleElement().satisfies(i -> assertThat(i).startsWith("schema.name: \"STRING\" does not match"));
    }
}
