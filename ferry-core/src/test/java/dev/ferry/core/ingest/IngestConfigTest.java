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
            case OBJECT_DETECTION -> doc.put("images", "images").put("annotations", "annotations").put("label", "label");
            case KEYPOINT_DETECTION -> {
                doc.put("images", "images").put("label", "label").put("number_of_keypoints", 17);
                doc.putArray("target_size").add(256).add(256);
            }
            case SEMANTIC_SEGMENTATION -> doc.put("images", "images").put("masks", "masks").put("label", "label");
            case MASKED_LANGUAGE_MODELING -> doc.put("sequences", "sequences");
            case CAUSAL_LANGUAGE_MODELING, SEQ2SEQ, EMBEDDINGS -> doc.put("texts", "texts");
            case TEXT_CLASSIFICATION, TOKEN_CLASSIFICATION, SENTENCE_PAIR_CLASSIFICATION -> doc.put("texts", "texts")
                    .put("label", "label");
            case TABULAR_CLASSIFICATION -> {
                doc.put("label", "label");
                doc.putObject("schema").put("age", "INT");
            }
            case TABULAR_REGRESSION, TIME_TO_EVENT_PREDICTION -> {
                doc.putObject("label").put("column", "y").put("policy", "passthrough");
                doc.putObject("schema").put("age", "INT");
            }
            case TIME_SERIES_FORECASTING -> {
                doc.putObject("label").put("column", "y").put("policy", "passthrough");
                doc.putObject("schema").put("timestamp", "TIMESTAMP");
            }
            case TIME_SERIES_CLASSIFICATION -> {
                doc.put("label", "label");
                doc.putObject("schema").put("sequence_id", "VARCHAR(16)").put("timestamp", "INT");
            }
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

    /** A document as a config file on its own: what `ferry ingest validate ingest.yaml` resolves. */
    private ConfigResolver.Resolved resolveFile(JsonNode doc) throws IOException {
        Path file = tmp.resolve("c" + System.nanoTime() + ".yaml");
        Files.writeString(file, JSON.writeValueAsString(doc));
        return ConfigResolver.resolve(file, null, ConfigFlags.NONE);
    }

    @Test
    void theCategorySidecarTableMatchesTheSchema() throws IOException {
        for (Category c : Category.values()) {
            for (String sidecar : IngestConfig.SIDECARS) {
                ObjectNode doc = minimal(c);
                boolean reads = c.sidecars().contains(sidecar);
                if (doc.has(sidecar)) {
                    doc.remove(sidecar);
                    assertThat(issues(doc)).as(c.id() + " needs " + sidecar).contains("<root>: missing required \"" + sidecar + "\"");
                    continue;
                }
                doc.put(sidecar, sidecar);
                // a folder the category does not read is not an error of the config: it is ignored, with a note
                ConfigResolver.Resolved r = resolveFile(doc);
                assertThat(r.issues()).as(c.id() + " " + sidecar).isEmpty();
                assertThat(r.notes()).as(c.id() + " " + sidecar).containsAll(reads ? List.<String>of()
                        : List.of(sidecar + " does not apply to category " + c.id() + " (ignored)"));
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
        // published configs name in-cluster paths: valid as they are
        doc.put("apiVersion", "tracebloc.io/v1").put("csv", "/data/shared/xray/labels.csv").put("images", "/data/shared/xray/images/");
        assertThat(issues(doc)).isEmpty();
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
                "table: \"1bad-name\" is not a table name: a letter or _, then letters, digits or _");
    }

    @Test
    void categoryRules() throws IOException {
        ObjectNode doc = minimal(Category.TABULAR_REGRESSION);
        doc.put("label", "y");
        assertThat(issues(doc)).containsExactly("label: category tabular_regression needs the label as {column, policy}"
                + " (policy: passthrough or bucket; from flags: --label-column with --label-policy)");
        doc.putObject("label").put("column", "y");
        assertThat(issues(doc)).containsExactly("label: missing required \"policy\"");
        // a bucket label needs no buckets (reference §1); Ferry's own `buckets` stays optional
        ((ObjectNode) doc.get("label")).put("policy", "bucket");
        assertThat(issues(doc)).isEmpty();
        ((ObjectNode) doc.get("label")).putArray("buckets").add(1).add(10);
        assertThat(issues(doc)).isEmpty();

        for (Category selfSupervised : List.of(Category.MASKED_LANGUAGE_MODELING, Category.CAUSAL_LANGUAGE_MODELING,
                Category.SEQ2SEQ, Category.EMBEDDINGS)) {
            doc = minimal(selfSupervised);
            doc.put("label", "y");
            assertThat(issues(doc)).containsExactly("label: category " + selfSupervised.id()
                    + " is self-supervised: it takes no label");
        }
        for (Category labelled : List.of(Category.IMAGE_CLASSIFICATION, Category.OBJECT_DETECTION,
                Category.KEYPOINT_DETECTION, Category.SEMANTIC_SEGMENTATION, Category.TEXT_CLASSIFICATION,
                Category.TOKEN_CLASSIFICATION, Category.SENTENCE_PAIR_CLASSIFICATION, Category.TABULAR_CLASSIFICATION,
                Category.TIME_SERIES_CLASSIFICATION)) {
            doc = minimal(labelled);
            doc.remove("label");
            assertThat(issues(doc)).as(labelled.id()).containsExactly("<root>: missing required \"label\"");
        }
        for (Category tabular : List.of(Category.TABULAR_CLASSIFICATION, Category.TABULAR_REGRESSION,
                Category.TIME_SERIES_FORECASTING, Category.TIME_SERIES_CLASSIFICATION, Category.TIME_TO_EVENT_PREDICTION)) {
            doc = minimal(tabular);
            doc.remove("schema");
            assertThat(issues(doc)).as(tabular.id()).containsExactly("<root>: missing required \"schema\"");
        }
        doc = minimal(Category.TIME_SERIES_CLASSIFICATION);
        ((ObjectNode) doc.get("schema")).remove("sequence_id");
        assertThat(issues(doc)).containsExactly("schema: missing required \"sequence_id\"");
        doc = minimal(Category.TIME_SERIES_FORECASTING);
        ((ObjectNode) doc.get("schema")).put("timestamp", "INT");
        assertThat(issues(doc)).containsExactly("schema.timestamp: time_series_forecasting needs the timestamp column typed TIMESTAMP");
        doc = minimal(Category.TEXT_CLASSIFICATION);
        doc.putObject("schema").put("label", "TEXT");
        assertThat(issues(doc)).containsExactly("schema.label: must not be declared: label is a column of every row");

        doc = minimal(Category.KEYPOINT_DETECTION);
        doc.remove("number_of_keypoints");
        doc.remove("target_size");
        assertThat(issues(doc)).containsExactly("<root>: missing required \"number_of_keypoints\"",
                "<root>: missing required \"target_size\"");
        doc.put("number_of_keypoints", 3).putObject("spec").putObject("file_options").putArray("target_size").add(64).add(64);
        assertThat(issues(doc)).isEmpty();

        // keys that mean nothing for a category are ignored with a note in a file, and an error as a flag
        doc = minimal(Category.TEXT_CLASSIFICATION);
        doc.putArray("target_size").add(1).add(2);
        doc.putObject("spec").putArray("processors").add("lowercase");
        ConfigResolver.Resolved r = resolveFile(doc);
        assertThat(r.issues()).isEmpty();
        assertThat(r.notes()).containsExactly("target_size does not apply to category text_classification (ignored)",
                "spec.processors is accepted and ignored: Ferry runs its own checks of text_classification");
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
    void pathsAreFoundInsideTheDatasetAndNeverLeaveIt() throws IOException {
        Path dataset = Files.createDirectories(tmp.resolve("xray"));
        Files.createDirectories(dataset.resolve("images"));
        Files.writeString(dataset.resolve("labels.csv"), "filename,label\n");
        // in-cluster paths: by their place under the root they declare, or by name
        Path config = Files.writeString(tmp.resolve("published.yaml"), """
                apiVersion: tracebloc.io/v1
                kind: IngestConfig
                category: image_classification
                table: xray
                intent: train
                csv: /mnt/elsewhere/labels.csv
                images: /data/shared/xray/images/
                label: label
                """);
        ConfigResolver.Resolved r = ConfigResolver.resolve(dataset, config, ConfigFlags.NONE);
        assertThat(r.issues()).isEmpty();
        assertThat(r.config().records().path()).isEqualTo("labels.csv");
        assertThat(r.config().sidecars()).isEqualTo(Map.of("images", "images"));
        assertThat(r.notes()).containsExactly(
                "csv: /mnt/elsewhere/labels.csv is labels.csv in the dataset folder (found by name)",
                "images: /data/shared/xray/images/ is images in the dataset folder");
        assertThat(r.layout().root()).isEqualTo(dataset.toAbsolutePath());
        // ... and as given, with no folder named: the root is the parent of the first sidecar folder
        assertThat(ConfigResolver.resolve(null, config, ConfigFlags.NONE).issues()).extracting(ConfigIssue::format)
                .containsExactly("  csv: \"/mnt/elsewhere/labels.csv\" is outside the dataset root /data/shared/xray (the folder"
                        + " that holds images: /data/shared/xray/images/); nothing outside it is read");
        Path inCluster = Files.writeString(tmp.resolve("in-cluster.yaml"), Files.readString(config)
                .replace("/mnt/elsewhere/", "/data/shared/xray/"));
        assertThatThrownBy(() -> ConfigResolver.resolve(null, inCluster, ConfigFlags.NONE))
                .hasMessageContaining("the dataset root /data/shared/xray (the folder that holds images:")
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.LOCAL_PATH));
        Path relative = Files.writeString(tmp.resolve("relative.yaml"), """
                apiVersion: tracebloc.io/v1
                kind: IngestConfig
                category: image_classification
                table: xray
                intent: train
                images: xray/images
                csv: xray/labels.csv
                label: label
                """);
        ConfigResolver.Resolved asGiven = ConfigResolver.resolve(null, relative, ConfigFlags.NONE);
        assertThat(asGiven.issues()).isEmpty();
        assertThat(asGiven.layout().root()).isEqualTo(dataset.toAbsolutePath());
        assertThat(asGiven.config().records().path()).isEqualTo("labels.csv");
        Path outside = Files.writeString(tmp.resolve("outside.yaml"), Files.readString(relative)
                .replace("csv: xray/labels.csv", "csv: labels.csv"));
        assertThat(ConfigResolver.resolve(null, outside, ConfigFlags.NONE).issues()).singleElement()
                .satisfies(i -> assertThat(i.format()).contains("csv: \"labels.csv\" is outside the dataset root"));
        Path leaving = Files.writeString(dataset.resolve("ingest.yaml"), Files.readString(relative)
                .replace("images: xray/images", "images: ../images"));
        assertThat(ConfigResolver.resolve(dataset, null, ConfigFlags.NONE).issues()).extracting(ConfigIssue::format)
                .contains("  images: \"../images\" leaves the dataset folder; paths must stay inside it");
        Files.delete(leaving);
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
        Files.createDirectories(dataset.resolve("texts"));
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
    void parquetTakesEveryNumberAndNullTheChecksLetThrough() {
        String rows = "{\"v\":\"inf\",\"f\":\"-Infinity\",\"n\":\"NA\"}\n{\"v\":\"2.5\",\"f\":\"nan\",\"n\":\"+7\"}\n";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        RowsExport.write(new java.io.ByteArrayInputStream(rows.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                List.of("v", "f", "n"), Map.of("v", SqlType.parse("DOUBLE"), "f", SqlType.parse("FLOAT"), "n",
                        SqlType.parse("INT")), RowsExport.Format.PARQUET, out);
        assertThat(out.toByteArray()).startsWith("PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void schemaTypesAndValues() {
        assertThat(SqlType.parse("varchar(3)").problem("abcd")).isEqualTo("longer than 3 characters");
        assertThat(SqlType.parse("INT").problem("12x")).isEqualTo("not an INT");
        assertThat(SqlType.parse("INT").problem("2.5")).isEqualTo("not an INT");
        assertThat(SqlType.parse("INT(11)").problem("NA")).as("NA-like values are NULL").isNull();
        assertThat(SqlType.parse("VARCHAR").problem("x".repeat(10_000))).as("no length: no limit").isNull();
        assertThat(SqlType.parse("MEDIUMINT").problem("9000000")).contains("out of range");
        assertThat(SqlType.parse("DECIMAL").problem("123456789.123")).isNull();
        assertThat(SqlType.parse("DOUBLE").problem("1d")).isEqualTo("not a DOUBLE");
        assertThat(SqlType.number("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(SqlType.number("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(SqlType.number("NaN")).isNaN();
        assertThat(SqlType.number("+1.5e3")).isEqualTo(1500.0);
        assertThat(SqlType.number("1d")).isNull();
        assertThat(SqlType.parse("TIMESTAMP").problem("2024-05-01T10:00:00Z")).isNull();
        assertThat(SqlType.parse("TIMESTAMP").problem("2024-05-01")).isNull();
        assertThat(SqlType.parse("TIMESTAMP").problem("yesterday")).contains("not a TIMESTAMP");
        assertThat(SqlType.parse("INT").problem("99999999999")).contains("out of range");
        assertThat(SqlType.parse("DECIMAL(5,2)").problem("123.45")).isNull();
        // a type's own comma is not the --schema flag's
        ConfigFlags flags = new ConfigFlags("t", "tabular_regression", "train", "y", "passthrough", null, null, null, null,
                "price:DECIMAL(10,2), name:VARCHAR(8),n:INT", null, null, null);
        com.fasterxml.jackson.databind.node.ObjectNode fromFlags = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode();
        flags.applyTo(fromFlags, true);
        assertThat(fromFlags.get("schema").toString()).isEqualTo("{\"price\":\"DECIMAL(10,2)\",\"name\":\"VARCHAR(8)\",\"n\":\"INT\"}");
        assertThat(SqlType.parse("DECIMAL(5,2)").problem("1234.5")).contains("digits before");
        assertThat(SqlType.parse("DATE").problem("2024-13-01")).contains("YYYY-MM-DD");
        assertThat(SqlType.parse("DATETIME").problem("2024-01-01 10:00:00")).isNull();
        assertThat(SqlType.parse("BOOLEAN").problem("maybe")).contains("not a boolean");
        assertThat(SqlType.parse("FLOAT").problem("")).isNull();
        ObjectNode doc = minimal(Category.TABULAR_CLASSIFICATION);
        doc.putObject("schema").put("age", "INT").put("name", "STRING");
        assertThat(issues(doc)).singleElement().satisfies(i -> assertThat(i).startsWith("schema.name: \"STRING\" is not a SQL type"));
    }
}
