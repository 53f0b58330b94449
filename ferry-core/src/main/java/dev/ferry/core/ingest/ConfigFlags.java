package dev.ferry.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.FerryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Config values given as command-line flags. They build the same document a YAML file would, and
 * override a file's values key by key. Every field may be null (not given).
 */
public record ConfigFlags(
        String table,
        String category,
        String intent,
        String labelColumn,
        String labelPolicy,
        List<Double> buckets,
        String targetSize,
        String minSize,
        String extension,
        String schema,
        String timeColumn,
        Integer numberOfKeypoints,
        String dataId,
        String csv,
        String json,
        Map<String, String> paths) {

    public static final ConfigFlags NONE = new ConfigFlags(null, null, null, null, null, null, null, null, null, null,
            null, null, null);

    /** The flags a user can type. */
    public ConfigFlags(String table, String category, String intent, String labelColumn, String labelPolicy,
            List<Double> buckets, String targetSize, String minSize, String extension, String schema, String timeColumn,
            Integer numberOfKeypoints, String dataId, String csv, String json) {
        this(table, category, intent, labelColumn, labelPolicy, buckets, targetSize, minSize, extension, schema,
                timeColumn, numberOfKeypoints, dataId, csv, json, null);
    }

    /**
     * These flags with the config's paths set to where a check found them, relative to the dataset
     * folder: what the CLI sends with a push, so that the server (which gets that folder) reads the
     * files the check read, whatever the config's own paths were relative to.
     */
    public ConfigFlags withPaths(Map<String, String> found) {
        return new ConfigFlags(table, category, intent, labelColumn, labelPolicy, buckets, targetSize, minSize, extension,
                schema, timeColumn, numberOfKeypoints, dataId, null, null, Map.copyOf(found));
    }

    /** The flags without a records file. */
    public ConfigFlags(String table, String category, String intent, String labelColumn, String labelPolicy,
            List<Double> buckets, String targetSize, String minSize, String extension, String schema, String timeColumn,
            Integer numberOfKeypoints, String dataId) {
        this(table, category, intent, labelColumn, labelPolicy, buckets, targetSize, minSize, extension, schema,
                timeColumn, numberOfKeypoints, dataId, null, null, null);
    }

    /** The config key each flag sets, for messages about a flag that was never given ("--category: required"). */
    public static final Map<String, String> FLAG_OF_KEY = Map.ofEntries(
            Map.entry("table", "--table"), Map.entry("category", "--category"), Map.entry("intent", "--intent"),
            Map.entry("label", "--label-column"), Map.entry("schema", "--schema"), Map.entry("time_column", "--time-column"),
            Map.entry("target_size", "--target-size"), Map.entry("number_of_keypoints", "--number-of-keypoints"),
            Map.entry("csv", "--csv"), Map.entry("json", "--json"));

    /**
     * Writes the given flags into {@code doc} and returns, for every config path they set, the flag
     * that set it (so that an issue on that path can name the flag). {@code noFile}: the flags are the
     * whole config, so the defaults of the reference's flags apply (intent train).
     */
    public Map<String, String> applyTo(ObjectNode doc, boolean noFile) {
        Map<String, String> from = new LinkedHashMap<>();
        JsonNodeFactory f = JsonNodeFactory.instance;
        put(doc, "table", table, "--table", from);
        put(doc, "category", category, "--category", from);
        put(doc, "intent", intent, "--intent", from);
        if (noFile && !doc.has("intent")) {
            doc.put("intent", IngestDefaults.INTENT);
        }
        if (csv != null || json != null) {
            doc.remove(List.of("csv", "json"));
            put(doc, "csv", csv, "--csv", from);
            put(doc, "json", json, "--json", from);
        }
        if (paths != null) {
            if (paths.containsKey("csv") || paths.containsKey("json")) {
                doc.remove(List.of("csv", "json"));
            }
            paths.forEach(doc::put);
        }
        if (labelColumn != null || labelPolicy != null || buckets != null) {
            label(doc, from);
        }
        if (targetSize != null) {
            doc.set("target_size", sizeNode(targetSize, "--target-size"));
            from.put("target_size", "--target-size");
        }
        if (minSize != null) {
            fileOptions(doc).set("min_size", sizeNode(minSize, "--min-size"));
            from.put("spec.file_options.min_size", "--min-size");
        }
        if (extension != null) {
            String e = extension.trim().toLowerCase(Locale.ROOT);
            fileOptions(doc).put("extension", e.startsWith(".") ? e : "." + e);
            from.put("spec.file_options.extension", "--extension");
        }
        if (schema != null) {
            ObjectNode columns = doc.has("schema") && doc.get("schema").isObject() ? (ObjectNode) doc.get("schema")
                    : doc.putObject("schema");
            // commas inside parentheses belong to a type (DECIMAL(10,2)), the others separate entries
            for (String entry : schema.split(",(?![^()]*\\))")) {
                int colon = entry.lastIndexOf(':');
                if (colon <= 0 || colon == entry.length() - 1) {
                    throw FerryException.invalid("invalid --schema entry '" + entry.trim() + "'",
                            "use column:TYPE pairs separated by commas, e.g. --schema age:INT,name:VARCHAR(64)");
                }
                columns.put(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
            }
            from.put("schema", "--schema");
        }
        put(doc, "time_column", timeColumn, "--time-column", from);
        if (numberOfKeypoints != null) {
            doc.put("number_of_keypoints", numberOfKeypoints);
            from.put("number_of_keypoints", "--number-of-keypoints");
        }
        if (dataId != null) {
            ObjectNode id = doc.putObject("data_id");
            if (dataId.startsWith("column:")) {
                id.put("strategy", "column");
                id.put("column", dataId.substring("column:".length()));
            } else {
                id.put("strategy", dataId);
            }
            from.put("data_id", "--data-id");
        }
        return from;
    }

    /**
     * The label from --label-column/--label-policy/--buckets, merged with the file's. Categories that
     * take the object form get it, with their default policy (regression: bucket) when none is given.
     */
    private void label(ObjectNode doc, Map<String, String> from) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode label = f.objectNode();
        JsonNode existing = doc.get("label");
        if (existing != null && existing.isTextual()) {
            label.put("column", existing.asText());
        } else if (existing != null && existing.isObject()) {
            label.setAll((ObjectNode) existing);
        }
        if (labelColumn != null) {
            label.put("column", labelColumn);
            from.put("label", "--label-column");
        }
        if (labelPolicy != null) {
            label.put("policy", labelPolicy);
            from.put("label.policy", "--label-policy");
        }
        if (buckets != null) {
            ArrayNode b = label.putArray("buckets");
            buckets.forEach(b::add);
            from.put("label.buckets", "--buckets");
        }
        Category category = categoryOf(doc);
        boolean objectForm = category != null && category.labelUse() == Category.LabelUse.OBJECT;
        if (objectForm && !label.has("policy")) {
            label.put("policy", IngestDefaults.flagPolicy(category).name().toLowerCase(Locale.ROOT));
        }
        // the short form when only a column is known: it is what a hand-written config would say
        boolean shortForm = !objectForm && label.size() == 1 && label.has("column");
        doc.set("label", shortForm ? f.textNode(label.get("column").asText()) : label);
    }

    /** The document's category, or null while it names none (or an unknown one: the schema says so). */
    static Category categoryOf(JsonNode doc) {
        JsonNode c = doc.get("category");
        return c != null && c.isTextual() && Category.ids().contains(c.asText()) ? Category.parse(c.asText()) : null;
    }

    private static void put(ObjectNode doc, String key, String value, String flag, Map<String, String> from) {
        if (value != null) {
            doc.put(key, value);
            from.put(key, flag);
        }
    }

    private static ObjectNode fileOptions(ObjectNode doc) {
        ObjectNode spec = doc.has("spec") && doc.get("spec").isObject() ? (ObjectNode) doc.get("spec") : doc.putObject("spec");
        return spec.has("file_options") && spec.get("file_options").isObject() ? (ObjectNode) spec.get("file_options")
                : spec.putObject("file_options");
    }

    private static ArrayNode sizeNode(String text, String flag) {
        Size size = Size.parse(text);
        if (size == null) {
            throw FerryException.invalid("invalid " + flag + " '" + text + "'", "use WIDTHxHEIGHT, e.g. " + flag + " 256x256");
        }
        ArrayNode node = JsonNodeFactory.instance.arrayNode();
        node.add(size.width()).add(size.height());
        return node;
    }
}
