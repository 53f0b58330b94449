package dev.ferry.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.transfer.ArgumentPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the config a command works with: the config file (given, or found in the dataset folder),
 * overridden by flags, completed from what the dataset folder holds, then checked against the schema.
 * The same steps for `ferry ingest validate`, `ferry dataset push` and, later, the server.
 */
public final class ConfigResolver {
    private static final List<String> CONFIG_NAMES = List.of("ingest.yaml", "ingest.yml", "ingest.json");

    private ConfigResolver() {}

    /** The outcome: the document, and either the config or the issues that prevent it. */
    public record Resolved(JsonNode document, IngestConfig config, List<ConfigIssue> issues, Path datasetDir,
            Path configFile) {
        public boolean valid() {
            return issues.isEmpty();
        }
    }

    /**
     * @param target a config file, or a dataset folder
     * @param configFile an explicit --config, or null
     */
    public static Resolved resolve(Path target, Path configFile, ConfigFlags flags) {
        ArgumentPaths.requireDecodable(target, "path");
        if (!Files.exists(target)) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "path does not exist: " + target,
                    "pass an ingest config file or a dataset folder");
        }
        Path datasetDir = Files.isDirectory(target) ? target : null;
        Path file = configFile;
        if (datasetDir == null) {
            if (configFile != null) {
                throw FerryException.invalid("--config is for a dataset folder; " + target + " is already a config file",
                        "pass either the config file, or the dataset folder with --config");
            }
            file = target;
        } else if (file == null) {
            file = CONFIG_NAMES.stream().map(datasetDir::resolve).filter(Files::isRegularFile).findFirst().orElse(null);
        }
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        List<ConfigIssue> issues = new ArrayList<>();
        if (file != null) {
            JsonNode read = ConfigDocument.read(file);
            if (read == null) {
                issues.add(ConfigIssue.of(ConfigIssue.ROOT, "the config file is empty"));
            } else if (!read.isObject()) {
                issues.add(ConfigIssue.of(ConfigIssue.ROOT, "expected a mapping of keys (apiVersion, kind, ...), got "
                        + read.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
            } else {
                doc = (ObjectNode) read;
            }
        } else {
            doc.put("apiVersion", IngestSchema.API_VERSIONS.get(0));
            doc.put("kind", "IngestConfig");
        }
        Map<String, String> fromFlags = flags.applyTo(doc);
        if (datasetDir != null) {
            discoverLayout(doc, datasetDir);
        }
        if (issues.isEmpty()) {
            for (ConfigIssue issue : IngestSchema.get().validate(doc)) {
                issues.add(nameTheFlag(issue, fromFlags));
            }
            issues.sort(null);
        }
        IngestConfig config = issues.isEmpty() ? IngestConfig.from(doc) : null;
        return new Resolved(doc, config, List.copyOf(issues), datasetDir, file);
    }

    /** Fills in the records file and sidecar folders a dataset folder has, where the config is silent. */
    private static void discoverLayout(ObjectNode doc, Path dir) {
        if (!doc.has("csv") && !doc.has("json") && Files.isRegularFile(dir.resolve(IngestDefaults.RECORDS_FILE))) {
            doc.put("csv", IngestDefaults.RECORDS_FILE);
        }
        JsonNode category = doc.get("category");
        if (category == null || !category.isTextual() || !Category.ids().contains(category.asText())) {
            return;
        }
        for (String sidecar : Category.parse(category.asText()).sidecars()) {
            String folder = IngestDefaults.sidecarFolder(sidecar);
            if (!doc.has(sidecar) && Files.isDirectory(dir.resolve(folder))) {
                doc.put(sidecar, folder);
            }
        }
    }

    /** An issue about a value a flag set is reported against the flag, which is what the user typed. */
    private static ConfigIssue nameTheFlag(ConfigIssue issue, Map<String, String> fromFlags) {
        String flag = fromFlags.get(issue.path());
        if (flag == null) {
            for (Map.Entry<String, String> e : fromFlags.entrySet()) {
                if (issue.path().startsWith(e.getKey() + ".") || issue.path().startsWith(e.getKey() + "[")) {
                    flag = e.getValue();
                }
            }
        }
        return flag == null ? issue : new ConfigIssue(flag, issue.message(), null, null);
    }
}
