package dev.ferry.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A config that passed the schema, with {@link IngestDefaults} applied: what the checks and the
 * ingestion read. Build it with {@link #from}; never from a document that has schema issues. Its
 * paths are the config's own until {@link #withLayout} puts in where they are inside the dataset
 * folder.
 */
public record IngestConfig(
        String apiVersion,
        Category category,
        String table,
        String intent,
        RecordsFile records,
        Map<String, String> sidecars,
        Label label,
        Map<String, SqlType> schema,
        String timeColumn,
        Size targetSize,
        Size minSize,
        String extension,
        Integer numberOfKeypoints,
        DataId dataId,
        CsvOptions csv) {

    public enum Format { CSV, JSON }

    /** The records file: as the config names it, then (after {@link #withLayout}) relative to the dataset folder. */
    public record RecordsFile(String path, Format format) {}

    public enum LabelPolicy { PASSTHROUGH, BUCKET }

    /** The label: its column, its policy, and for bucket the edges (empty: the data's deciles, see {@link IngestDefaults}). */
    public record Label(String column, LabelPolicy policy, List<Double> buckets) {}

    public enum DataIdStrategy { UUID, COLUMN, CONTENT_HASH }

    public record DataId(DataIdStrategy strategy, String column) {}

    public record CsvOptions(char delimiter, char quote, Character escape, int chunkSize) {}

    /** Sidecar folders in ingest.v1, in the order they are checked. */
    public static final List<String> SIDECARS = List.of("images", "annotations", "masks", "texts", "sequences");

    /** Reads a schema-valid document and applies the defaults. */
    public static IngestConfig from(JsonNode doc) {
        Category category = Category.parse(doc.get("category").asText());
        RecordsFile records = doc.has("csv") ? new RecordsFile(doc.get("csv").asText(), Format.CSV)
                : new RecordsFile(doc.get("json").asText(), Format.JSON);
        Map<String, String> sidecars = new LinkedHashMap<>();
        for (String s : category.sidecars()) {
            if (doc.has(s)) {
                sidecars.put(s, doc.get(s).asText());
            }
        }
        JsonNode spec = doc.path("spec");
        JsonNode files = spec.path("file_options");
        JsonNode csv = spec.path("csv_options");
        Map<String, SqlType> schema = new LinkedHashMap<>();
        doc.path("schema").fields().forEachRemaining(e -> schema.put(e.getKey(), SqlType.parse(e.getValue().asText())));
        boolean images = category.family() == Category.Family.IMAGE;
        // reference §4: spec.file_options wins over the top-level target_size
        Size targetSize = images ? size(files.has("target_size") ? files.get("target_size") : doc.get("target_size")) : null;
        Size minSize = images ? size(files.get("min_size")) : null;
        return new IngestConfig(
                doc.get("apiVersion").asText(),
                category,
                doc.get("table").asText(),
                doc.get("intent").asText(),
                records,
                sidecars,
                category.labelUse() == Category.LabelUse.FORBIDDEN ? null : label(doc.get("label")),
                schema,
                doc.has("time_column") ? doc.get("time_column").asText() : IngestDefaults.timeColumn(category),
                targetSize,
                images && minSize == null ? IngestDefaults.MIN_SIZE : minSize,
                category.oneFile() ? null : extension(files.get("extension")),
                category == Category.KEYPOINT_DETECTION && doc.has("number_of_keypoints")
                        ? doc.get("number_of_keypoints").asInt() : null,
                dataId(doc.get("data_id")),
                new CsvOptions(
                        character(csv.get("delimiter"), IngestDefaults.CSV_DELIMITER),
                        character(csv.get("quotechar"), IngestDefaults.CSV_QUOTE),
                        csv.has("escapechar") ? csv.get("escapechar").asText().charAt(0) : null,
                        csv.has("chunk_size") ? csv.get("chunk_size").asInt() : IngestDefaults.CSV_CHUNK_SIZE));
    }

    /** This config with its records file and sidecar folders where they are, relative to the dataset folder. */
    public IngestConfig withLayout(String recordsPath, Map<String, String> sidecarFolders) {
        return new IngestConfig(apiVersion, category, table, intent, new RecordsFile(recordsPath, records.format()),
                Map.copyOf(sidecarFolders), label, schema, timeColumn, targetSize, minSize, extension, numberOfKeypoints,
                dataId, csv);
    }

    /**
     * Whether this config ingests the same files into the same rows as {@code other}, whatever paths
     * either named them by (the manifest says which files they are).
     */
    public boolean ingestsAs(IngestConfig other) {
        return other != null && withLayout("", Map.of()).equals(other.withLayout("", Map.of()));
    }

    /** The folder (relative to the dataset folder) of the files the records name, or null for one-file categories. */
    public String dataFolder() {
        return category.dataFolder() == null ? null : sidecars.get(category.dataFolder());
    }

    private static Label label(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return new Label(node.asText(), LabelPolicy.PASSTHROUGH, List.of());
        }
        LabelPolicy policy = node.has("policy")
                ? LabelPolicy.valueOf(node.get("policy").asText().toUpperCase(Locale.ROOT))
                : LabelPolicy.PASSTHROUGH;
        List<Double> buckets = new java.util.ArrayList<>();
        node.path("buckets").forEach(b -> buckets.add(b.asDouble()));
        return new Label(node.get("column").asText(), policy, List.copyOf(buckets));
    }

    private static DataId dataId(JsonNode node) {
        if (node == null || !node.has("strategy")) {
            return new DataId(IngestDefaults.DATA_ID_STRATEGY, null);
        }
        return new DataId(DataIdStrategy.valueOf(node.get("strategy").asText().toUpperCase(Locale.ROOT)),
                node.has("column") ? node.get("column").asText() : null);
    }

    private static Size size(JsonNode node) {
        return node == null ? null : new Size(node.get(0).asInt(), node.get(1).asInt());
    }

    private static String extension(JsonNode node) {
        if (node == null) return null;
        String e = node.asText();
        return (e.startsWith(".") ? e.substring(1) : e).toLowerCase(Locale.ROOT);
    }

    private static char character(JsonNode node, char fallback) {
        return node == null ? fallback : node.asText().charAt(0);
    }
}
