package dev.ferry.core.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.keyword.KeywordType;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.utils.JsonNodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The ingest.v1 JSON Schema (a resource of this module, draft 2020-12) and the translation of its
 * errors into one line each: the path, and the reason in words a user of the config understands. A
 * rule of the schema may carry its own message ({@code "message": {keyword: text}}, a MessageFormat
 * pattern: braces are quoted); that text is used as it is.
 */
public final class IngestSchema {
    public static final String RESOURCE = "ingest.v1.schema.json";
    /** The accepted config versions; a config built from flags says the first. */
    public static final List<String> API_VERSIONS = List.of("ferry.dev/v1", "tracebloc.io/v1");
    private static final String DRAFT_2020_12_ID = "https://json-schema.org/draft/2020-12/schema";

    /**
     * Draft 2020-12 as the library defines it, with every keyword and vocabulary, but no {@code format}
     * validators: the schema uses none, and making them (e-mail's list of top-level domains, the
     * date-time and IP patterns) would cost every cold `ferry ingest validate` ~5 ms.
     */
    private static final Dialect DIALECT = Dialect.builder(DRAFT_2020_12_ID)
            .specificationVersion(SpecificationVersion.DRAFT_2020_12)
            .idKeyword("$id")
            .keywords(KeywordType.getKeywords(SpecificationVersion.DRAFT_2020_12))
            .keywords(List.of(new NonValidationKeyword("definitions")))
            .vocabularies(vocabularies -> {
                for (String vocabulary : List.of("core", "applicator", "unevaluated", "validation", "meta-data",
                        "format-annotation", "content")) {
                    vocabularies.put("https://json-schema.org/draft/2020-12/vocab/" + vocabulary, true);
                }
            })
            .build();
    private static final IngestSchema INSTANCE = new IngestSchema();

    private final Schema schema;
    private final String text;

    private IngestSchema() {
        try (InputStream in = IngestSchema.class.getResourceAsStream(RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded ingest schema is missing", e);
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(DIALECT,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().errorMessageKeyword("message").build()));
        // read without an ObjectMapper, which would cost a cold `ferry ingest validate` a third of its time
        try (JsonParser parser = new JsonFactory().createParser(text)) {
            schema = registry.getSchema(JsonTrees.read(parser, JsonTrees.SELF_RENDERING));
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded ingest schema is not JSON", e);
        }
    }

    public static IngestSchema get() {
        return INSTANCE;
    }

    /** The schema document itself (for `ferry ingest schema` and the server's version endpoint). */
    public String text() {
        return text;
    }

    /** Every schema problem of a config document, sorted by path. */
    public List<ConfigIssue> validate(JsonNode config) {
        Set<ConfigIssue> issues = new LinkedHashSet<>();
        for (com.networknt.schema.Error e : schema.validate(config)) {
            ConfigIssue issue = translate(e, config);
            if (issue != null) {
                issues.add(issue);
            }
        }
        List<ConfigIssue> sorted = new ArrayList<>(issues);
        sorted.sort(null);
        return sorted;
    }

    private static ConfigIssue translate(com.networknt.schema.Error e, JsonNode config) {
        if (String.valueOf(e.getEvaluationPath()).startsWith("/oneOf/")) {
            return null; // the branches of the csv/json rule: the oneOf error says it in one sentence
        }
        String path = path(e.getInstanceLocation());
        Object[] args = e.getArguments() == null ? new Object[0] : e.getArguments();
        JsonNode value = e.getInstanceNode();
        // a message of the schema's own is its own key; the library's are keyed by keyword (oneOf.indexes, ...)
        String key = String.valueOf(e.getMessageKey());
        boolean custom = !key.equals(String.valueOf(e.getKeyword())) && !key.startsWith(e.getKeyword() + ".");
        String message = custom ? e.getMessage() : switch (String.valueOf(e.getKeyword())) {
            case "required" -> "missing required \"" + e.getProperty() + "\"";
            case "additionalProperties" -> {
                path = child(path, e.getProperty());
                yield "unknown field (not part of ingest.v1)";
            }
            case "false" -> "is not allowed here";
            case "enum" -> quoted(value) + " is not one of [" + enumValues(e) + "]";
            case "const" -> quoted(value) + " must be " + e.getSchemaNode().toString();
            case "pattern" -> quoted(value) + pattern(path);
            case "type" -> "expected " + args[1] + ", got " + args[0];
            case "oneOf" -> oneOf(path, config, e);
            case "maxLength" -> quoted(value) + " is longer than " + args[0] + " characters";
            case "minLength" -> "must not be empty";
            case "minimum" -> value + " is less than " + args[0];
            case "minItems", "maxItems" -> String.valueOf(e.getEvaluationPath()).contains("size")
                    ? "must be [width, height]"
                    : "must have " + ("minItems".equals(e.getKeyword()) ? "at least " : "at most ") + args[0] + " items";
            case "propertyNames" -> "invalid column name (empty, or with control characters)";
            case "minProperties" -> "must name at least one column";
            default -> e.getMessage();
        };
        if (message == null) {
            return null;
        }
        // nodes that came from flags, not from a file, have no location
        JsonLocation at = value instanceof com.networknt.schema.serialization.node.TokenStreamLocationAware
                ? JsonNodes.tokenStreamLocationOf(value) : null;
        return at == null || at.getLineNr() < 0
                ? ConfigIssue.of(path, message)
                : new ConfigIssue(path, message, at.getLineNr(), at.getColumnNr());
    }

    /** Only the top-level csv/json rule is a oneOf worth a sentence; the label's own oneOf is. */
    private static String oneOf(String path, JsonNode config, com.networknt.schema.Error e) {
        if (ConfigIssue.ROOT.equals(path)) {
            boolean both = config.has("csv") && config.has("json");
            return both ? "give either \"csv\" or \"json\", not both" : "missing the records file: give \"csv\" or \"json\" (or put a labels.csv in the dataset folder)";
        }
        if (path.equals("label")) {
            return "must be a column name, or {column, policy} (policy: passthrough or bucket)";
        }
        return e.getMessage();
    }

    /** What a pattern of the schema asks for, in words. */
    private static String pattern(String path) {
        if (path.equals("table")) {
            return " is not a table name: a letter or _, then letters, digits or _";
        }
        if (path.startsWith("schema.")) {
            return " is not a SQL type ingest.v1 accepts (VARCHAR, CHAR, TEXT, INT, INTEGER, TINYINT, SMALLINT, MEDIUMINT,"
                    + " BIGINT, FLOAT, DOUBLE, DECIMAL, NUMERIC, BOOLEAN, BOOL, DATE, DATETIME, TIMESTAMP, TIME, BLOB,"
                    + " LONGBLOB; optionally with (n) or (p,s))";
        }
        return " is not a valid value here (a NUL character?)";
    }

    private static String enumValues(com.networknt.schema.Error e) {
        JsonNode allowed = e.getSchemaNode();
        List<String> values = new ArrayList<>();
        allowed.forEach(v -> values.add(v.asText()));
        return String.join(", ", values);
    }

    private static String quoted(JsonNode value) {
        return value == null ? "null" : value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
    }

    /** {@code /spec/csv_options/delimiter} -> {@code spec.csv_options.delimiter}; {@code /target_size/0} -> {@code target_size[0]}. */
    static String path(NodePath location) {
        if (location == null || location.getNameCount() == 0) {
            return ConfigIssue.ROOT;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (!out.isEmpty()) out.append('.');
                out.append(element);
            }
        }
        return out.toString();
    }

    private static String child(String path, String property) {
        return ConfigIssue.ROOT.equals(path) ? property : path + "." + property;
    }
}
