package dev.ferry.core.home;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Author;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The user's settings in {@code $FERRY_HOME/config.yaml} (mode 0600: it may hold a catalog
 * password). Keys are dotted ({@code user.name}); the file nests them as YAML maps.
 */
public final class FerryConfig {
    /** Every key Ferry reads, with what it means. */
    public static final Map<String, String> KEYS;

    static {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("user.name", "author name recorded on bundles and label moves");
        keys.put("user.email", "author email recorded on bundles and label moves");
        keys.put("catalog.url", "JDBC URL of the catalog (default: SQLite file in FERRY_HOME), e.g."
                + " jdbc:postgresql://host:5432/ferry?user=u&password=p");
        keys.put("store.url", "where the packs are (default: FERRY_HOME/store), e.g. s3://bucket/prefix (endpoint from"
                + " AWS_ENDPOINT_URL, credentials from the AWS SDK's default chain); FERRY_STORE overrides it");
        KEYS = java.util.Collections.unmodifiableMap(keys);
    }

    /** Loaded only when a config file exists: the YAML stack costs ~100 ms of class loading. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    }

    private final Path file;
    private final TreeMap<String, String> values;

    private FerryConfig(Path file, TreeMap<String, String> values) {
        this.file = file;
        this.values = values;
    }

    public static FerryConfig load(Path file) {
        TreeMap<String, String> values = new TreeMap<>();
        try {
            String text = Files.readString(file);
            JsonNode root = Yaml.MAPPER.readTree(text);
            if (root != null && !root.isNull() && !root.isMissingNode()) {
                if (!root.isObject()) {
                    throw new FerryException(ErrorCode.INVALID_ARGUMENT, "config file " + file + " is not a YAML map",
                            "fix or delete it, then use 'ferry config set'");
                }
                flatten("", root, values);
            }
        } catch (NoSuchFileException e) {
            // no settings yet
        } catch (JsonProcessingException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "config file " + file + " is not valid YAML: "
                    + e.getOriginalMessage(), "fix or delete it, then use 'ferry config set'");
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot read config file " + file + ": "
                    + e.getMessage(), null, e);
        }
        return new FerryConfig(file, values);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            if (f.getValue().isObject()) {
                flatten(key, f.getValue(), out);
            } else if (!f.getValue().isNull()) {
                out.put(key, f.getValue().asText());
            }
        }
    }

    public String get(String key) {
        return values.get(key);
    }

    public Map<String, String> all() {
        return java.util.Collections.unmodifiableMap(values);
    }

    public void set(String key, String value) {
        checkKey(key);
        values.put(key, value);
        save();
    }

    public boolean unset(String key) {
        checkKey(key);
        boolean had = values.remove(key) != null;
        save();
        return had;
    }

    public Author author() {
        String name = values.getOrDefault("user.name", System.getProperty("user.name", ""));
        return new Author(name, values.getOrDefault("user.email", ""));
    }

    public static void checkKey(String key) {
        if (!KEYS.containsKey(key)) {
            throw FerryException.invalid("unknown config key '" + key + "'", "known keys: " + String.join(", ", KEYS.keySet()));
        }
    }

    private void save() {
        ObjectNode root = Yaml.MAPPER.createObjectNode();
        values.forEach((key, value) -> {
            ObjectNode node = root;
            String[] parts = key.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
            }
            node.put(parts[parts.length - 1], value);
        });
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(partial, Yaml.MAPPER.writeValueAsString(root));
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot write config file " + file + ": "
                    + e.getMessage(), "check that FERRY_HOME is writable", e);
        }
    }
}
