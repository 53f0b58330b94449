package dev.ferry.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.ingest.dataset.SchemaInference;
import dev.ferry.core.transfer.ArgumentPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the config a command works with: the config file (given, or found in the dataset folder),
 * overridden by flags, completed from what the dataset folder holds (records file, sidecar folders,
 * for a flags-only tabular push the schema), checked against the schema and the category's rules,
 * and its paths found inside the dataset ({@link LayoutResolver}). The same steps for `ferry ingest
 * validate`, `ferry dataset push` and the server.
 */
public final class ConfigResolver {
    private static final List<String> CONFIG_NAMES = List.of("ingest.yaml", "ingest.yml", "ingest.json");

    private ConfigResolver() {}

    /**
     * The outcome: the document, and either the config or the issues that prevent it; notes say what
     * was found, inferred or ignored. {@code layout} is null when there is no dataset to check (a
     * config file on its own) or the config is not valid.
     */
    public record Resolved(JsonNode document, IngestConfig config, List<ConfigIssue> issues, List<String> notes,
            DatasetLayout layout, Path configFile) {
        public boolean valid() {
            return issues.isEmpty();
        }

        /** The dataset folder, or null when only a config was checked. */
        public Path datasetDir() {
            return layout == null ? null : layout.root();
        }
    }

    /** How the command named its data. */
    private enum Mode { FOLDER, CONFIG_ONLY, PATHS_AS_GIVEN, RECORDS_FILE }

    /**
     * @param target a dataset folder, a records file (one-file categories), a config file, or null
     *     when {@code configFile} names the data by its paths
     * @param configFile an explicit --config, or null
     */
    public static Resolved resolve(Path target, Path configFile, ConfigFlags flags) {
        Mode mode = mode(target, configFile);
        Path file = switch (mode) {
            case FOLDER -> configFile != null ? configFile
                    : CONFIG_NAMES.stream().map(target::resolve).filter(Files::isRegularFile).findFirst().orElse(null);
            case CONFIG_ONLY -> target;
            default -> configFile;
        };
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        List<ConfigIssue> issues = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (file != null) {
            JsonNode read = ConfigDocument.read(file);
            if (read == null) {
                issues.add(ConfigIssue.of(ConfigIssue.ROOT, "the config file is empty"));
            } else if (!read.isObject()) {
                issues.add(ConfigIssue.of(ConfigIssue.ROOT, "expected a mapping of keys (apiVersion, kind, ...), got "
                        + read.getNodeType().toString().toLowerCase(Locale.ROOT)));
            } else {
                doc = (ObjectNode) read;
            }
        } else {
            doc.put("apiVersion", IngestSchema.API_VERSIONS.get(0));
            doc.put("kind", "IngestConfig");
        }
        boolean noFile = file == null;
        Map<String, String> fromFlags = flags.applyTo(doc, noFile);
        Category category = ConfigFlags.categoryOf(doc);
        if (mode == Mode.FOLDER) {
            ConfigIssue undecided = LayoutResolver.discover(doc, category, target, noFile);
            if (undecided != null) issues.add(undecided);
        } else if (mode == Mode.RECORDS_FILE) {
            // the file given is the records file, whatever the config or --csv called it (a note says so)
            String written = doc.has("csv") ? doc.get("csv").asText() : doc.has("json") ? doc.get("json").asText() : null;
            doc.remove(List.of("csv", "json"));
            doc.put("csv", target.getFileName().toString());
            if (written != null && !Path.of(written).getFileName().toString().equals(target.getFileName().toString())) {
                notes.add("csv: " + written + " is " + target.getFileName() + ", the file given");
            }
        }
        if (issues.isEmpty() && noFile && category != null && category.oneFile() && !doc.has("schema")) {
            ConfigIssue missing = inferSchema(doc, category, mode == Mode.RECORDS_FILE ? target.toAbsolutePath().getParent() : target,
                    fromFlags, notes);
            if (missing != null) issues.add(missing);
        }
        if (issues.isEmpty()) {
            for (ConfigIssue issue : IngestSchema.get().validate(doc)) {
                issues.add(nameTheFlag(issue, fromFlags, noFile, mode == Mode.FOLDER));
            }
        }
        if (issues.isEmpty()) {
            CategoryKeys.check(doc, category, fromFlags, issues, notes);
        }
        IngestConfig config = null;
        DatasetLayout layout = null;
        if (issues.isEmpty()) {
            config = IngestConfig.from(doc);
            LayoutResolver.Outcome found = switch (mode) {
                case FOLDER -> LayoutResolver.inFolder(doc, category, target);
                case PATHS_AS_GIVEN -> LayoutResolver.asGiven(doc, category, file.toAbsolutePath().getParent());
                case RECORDS_FILE -> LayoutResolver.recordsFile(doc, category, target);
                case CONFIG_ONLY -> null;
            };
            if (found != null) {
                issues.addAll(found.issues());
                layout = found.layout();
                if (layout != null) {
                    notes.addAll(0, layout.notes());
                    config = config.withLayout(layout.records(), layout.sidecars());
                }
            }
        }
        issues.sort(null);
        return new Resolved(doc, issues.isEmpty() ? config : null, List.copyOf(issues), List.copyOf(notes),
                issues.isEmpty() ? layout : null, file);
    }

    private static Mode mode(Path target, Path configFile) {
        if (target == null) {
            if (configFile == null) {
                throw FerryException.invalid("nothing to check: give a dataset folder, or --config FILE whose paths name the data",
                        "e.g. ferry dataset push ./cats-dogs --table cats --category image_classification --label-column label");
            }
            ArgumentPaths.requireDecodable(configFile, "--config");
            return Mode.PATHS_AS_GIVEN;
        }
        ArgumentPaths.requireDecodable(target, "path");
        if (!Files.exists(target)) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "path does not exist: " + target,
                    "pass a dataset folder (or an ingest config file, or a tabular dataset's CSV file)");
        }
        if (Files.isDirectory(target)) {
            return Mode.FOLDER;
        }
        if (isRecordsFile(target)) {
            return Mode.RECORDS_FILE;
        }
        if (configFile != null) {
            throw FerryException.invalid("--config is for a dataset folder; " + target + " is already a config file",
                    "pass either the config file, or the dataset folder with --config");
        }
        return Mode.CONFIG_ONLY;
    }

    /** A CSV file given where a dataset is expected: a tabular dataset of that one file. */
    private static boolean isRecordsFile(Path target) {
        return target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    /**
     * A flags-only push of a one-file category without --schema: the schema comes from the data
     * (reference §2), every column but the label, and a note shows it. Returns an issue when the
     * records file is not there to infer it from.
     */
    private static ConfigIssue inferSchema(ObjectNode doc, Category category, Path dir, Map<String, String> fromFlags,
            List<String> notes) {
        String key = doc.has("csv") ? "csv" : doc.has("json") ? "json" : null;
        if (key == null || dir == null) {
            return null; // the schema's own issue names the missing records file
        }
        Path records = dir.resolve(doc.get(key).asText());
        if (!Files.isRegularFile(records)) {
            return ConfigIssue.of(fromFlags.getOrDefault(key, key), "no file " + doc.get(key).asText() + " in " + dir);
        }
        JsonNode label = doc.get("label");
        String labelColumn = label == null ? null : label.isTextual() ? label.asText() : label.path("column").asText(null);
        boolean bucket = label != null && "bucket".equalsIgnoreCase(label.path("policy").asText(""));
        Map<String, String> inferred = SchemaInference.infer(records, key.equals("json"), labelColumn,
                dev.ferry.core.ingest.dataset.DatasetCategory.engineMayCheck(category, bucket));
        if (inferred.isEmpty()) {
            return null; // the data check says why (no header, no columns)
        }
        ObjectNode schema = doc.putObject("schema");
        inferred.forEach(schema::put);
        notes.add("schema inferred from " + doc.get(key).asText() + " (give --schema to choose): "
                + String.join(", ", inferred.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList()));
        return null;
    }

    /**
     * An issue about a value a flag set is reported against the flag, which is what the user typed; with
     * no config file, a missing key is the flag not given.
     */
    private static ConfigIssue nameTheFlag(ConfigIssue issue, Map<String, String> fromFlags, boolean noFile, boolean folder) {
        String flag = fromFlags.get(issue.path());
        if (flag == null) {
            for (Map.Entry<String, String> e : fromFlags.entrySet()) {
                if (issue.path().startsWith(e.getKey() + ".") || issue.path().startsWith(e.getKey() + "[")) {
                    flag = e.getValue();
                }
            }
        }
        if (flag != null) {
            return new ConfigIssue(flag, issue.message(), null, null);
        }
        if (noFile && issue.path().equals(ConfigIssue.ROOT) && issue.message().startsWith("missing required \"")) {
            String key = issue.message().substring("missing required \"".length(), issue.message().length() - 1);
            if (ConfigFlags.FLAG_OF_KEY.containsKey(key)) {
                return ConfigIssue.of(ConfigFlags.FLAG_OF_KEY.get(key), "required" + flagHint(key));
            }
            if (IngestConfig.SIDECARS.contains(key)) {
                return ConfigIssue.of(key, folder ? "no " + key + "/ folder in the dataset folder" : "missing required \"" + key + "\"");
            }
        }
        if (noFile && issue.path().equals(ConfigIssue.ROOT) && issue.message().startsWith("missing the records file")) {
            return ConfigIssue.of("--csv", "no records file: put a labels.csv in the dataset folder, or name one with --csv FILE");
        }
        return issue;
    }

    private static String flagHint(String key) {
        return switch (key) {
            case "category" -> " (one of " + String.join(", ", Category.ids()) + ")";
            case "table" -> " (the dataset's name: letters, digits and _)";
            case "label" -> " (the label column)";
            case "schema" -> " (columns and SQL types, e.g. --schema age:INT,city:VARCHAR(64))";
            case "target_size" -> " (WIDTHxHEIGHT, e.g. --target-size 256x256)";
            default -> "";
        };
    }
}
