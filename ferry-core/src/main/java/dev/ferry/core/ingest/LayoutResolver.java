package dev.ferry.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds a config's records file and sidecar folders (reference ingest-v1.md §1, "Paths"). Published
 * configs name in-cluster paths ({@code csv: /data/shared/xray/labels.csv}); the ingestor takes the
 * parent of the first sidecar folder (or, with none, of the records file) as the dataset root. So:
 *
 * <ul>
 *   <li>with a dataset folder, a relative path is inside it, and an absolute one is looked up inside
 *       it by its place under that declared root ({@code /data/shared/xray/images/} → {@code images}),
 *       else by its name;</li>
 *   <li>with only a config file, the paths are read as given (relative ones from the config's own
 *       folder), and the root is the declared one;</li>
 *   <li>with a records file given as the dataset (one-file categories), it is the records file.</li>
 * </ul>
 *
 * Nothing outside the root is ever read: a path that leaves it is an issue naming the key.
 */
final class LayoutResolver {
    private LayoutResolver() {}

    record Outcome(DatasetLayout layout, List<ConfigIssue> issues) {}

    /** The config's path keys that this category reads, in the document's order. */
    static List<String> pathKeys(JsonNode doc, Category category) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if ((key.equals("csv") || key.equals("json") || category.sidecars().contains(key)) && doc.get(key).isTextual()) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static String recordsKey(JsonNode doc) {
        return doc.has("csv") ? "csv" : "json";
    }

    /** The key the dataset root is declared by: the first sidecar folder, or the records file when there is none. */
    private static String rootKey(JsonNode doc, Category category) {
        return pathKeys(doc, category).stream().filter(k -> !k.equals("csv") && !k.equals("json")).findFirst()
                .orElse(recordsKey(doc));
    }

    /** The declared root: the parent of {@link #rootKey}'s path, relative to {@code base}. */
    private static Path declaredRoot(JsonNode doc, Category category, Path base) {
        Path parent = base.resolve(doc.get(rootKey(doc, category)).asText()).normalize().getParent();
        return parent == null ? base : parent;
    }

    private static String declaredFrom(JsonNode doc, Category category) {
        String key = rootKey(doc, category);
        return (category.sidecars().contains(key) ? "the folder that holds " : "the folder of ") + key + ": "
                + doc.get(key).asText();
    }

    /** With a dataset folder: every path inside it. */
    static Outcome inFolder(JsonNode doc, Category category, Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        // absolute paths are in-cluster paths: their place under the root they declare is their place here
        Path declared = declaredRoot(doc, category, Path.of("/"));
        Map<String, String> found = new LinkedHashMap<>();
        List<ConfigIssue> issues = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String key : pathKeys(doc, category)) {
            String written = doc.get(key).asText();
            Path given = Path.of(written); // a Path drops trailing slashes itself
            if (!given.isAbsolute()) {
                Path inside = root.resolve(given).normalize();
                if (!inside.startsWith(root) || inside.equals(root)) {
                    issues.add(ConfigIssue.of(key, quoted(written) + " leaves the dataset folder; paths must stay inside it"));
                } else {
                    found.put(key, root.relativize(inside).toString());
                }
                continue;
            }
            Path normal = given.normalize();
            String byPlace = normal.startsWith(declared) && !normal.equals(declared) ? declared.relativize(normal).toString() : null;
            String byName = normal.getFileName() == null ? null : normal.getFileName().toString();
            String rel;
            String how;
            if (byPlace != null && Files.exists(root.resolve(byPlace))) {
                rel = byPlace;
                how = "";
            } else if (byName != null && Files.exists(root.resolve(byName))) {
                rel = byName;
                how = " (found by name)";
            } else {
                rel = byPlace != null ? byPlace : byName;
                how = " (not there: see below)";
            }
            if (rel == null) {
                issues.add(ConfigIssue.of(key, quoted(written) + " names no file or folder"));
                continue;
            }
            found.put(key, rel);
            notes.add(key + ": " + written + " is " + rel + " in the dataset folder" + how);
        }
        return outcome(doc, category, root, root, found, issues, notes);
    }

    /** With only a config file: the paths as given, relative ones from the config's folder. */
    static Outcome asGiven(JsonNode doc, Category category, Path base) {
        Path root = declaredRoot(doc, category, base.toAbsolutePath().normalize());
        Map<String, String> found = new LinkedHashMap<>();
        List<ConfigIssue> issues = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String from = declaredFrom(doc, category);
        for (String key : pathKeys(doc, category)) {
            String written = doc.get(key).asText();
            Path at = base.toAbsolutePath().resolve(written).normalize();
            if (!at.startsWith(root) || at.equals(root)) {
                issues.add(ConfigIssue.of(key, quoted(written) + " is outside the dataset root " + root + " (" + from
                        + "); nothing outside it is read"));
            } else {
                found.put(key, root.relativize(at).toString());
            }
        }
        if (issues.isEmpty() && !Files.isDirectory(root)) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "the dataset root " + root + " (" + from + ") does not exist here",
                    "in-cluster paths (/data/...) are found inside a dataset folder you name: ferry dataset push DIR --config FILE");
        }
        notes.add("dataset root: " + root + " (" + from + ")");
        return outcome(doc, category, root, root, found, issues, notes);
    }

    /** A records file given as the dataset itself (one-file categories): stored on its own. */
    static Outcome recordsFile(JsonNode doc, Category category, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path root = absolute.getParent();
        String name = absolute.getFileName().toString();
        List<ConfigIssue> issues = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!category.oneFile()) {
            issues.add(ConfigIssue.of("category", category + " reads a folder (records file and " + category.dataFolder()
                    + "/): pass the dataset folder, not " + name));
        }
        Map<String, String> found = new LinkedHashMap<>();
        found.put(recordsKey(doc), name);
        return outcome(doc, category, root, absolute, found, issues, notes);
    }

    private static Outcome outcome(JsonNode doc, Category category, Path root, Path upload, Map<String, String> found,
            List<ConfigIssue> issues, List<String> notes) {
        if (!issues.isEmpty()) {
            return new Outcome(null, issues);
        }
        String records = found.get(recordsKey(doc));
        Map<String, String> sidecars = new LinkedHashMap<>();
        for (String s : category.sidecars()) {
            if (found.containsKey(s)) {
                sidecars.put(s, found.get(s));
            }
        }
        return new Outcome(new DatasetLayout(root, upload, records, sidecars, notes), List.of());
    }

    /**
     * Fills in, for a dataset folder, the records file and the sidecar folders a config leaves out:
     * {@code labels.csv}, else for a one-file category the folder's only CSV; each sidecar folder
     * this category reads, when a folder of that name is there. Returns an issue when the records file
     * cannot be chosen (several CSV files).
     */
    static ConfigIssue discover(com.fasterxml.jackson.databind.node.ObjectNode doc, Category category, Path dir,
            boolean flags) {
        ConfigIssue issue = null;
        if (!doc.has("csv") && !doc.has("json")) {
            if (Files.isRegularFile(dir.resolve(IngestDefaults.RECORDS_FILE))) {
                doc.put("csv", IngestDefaults.RECORDS_FILE);
            } else if (category != null && category.oneFile()) {
                List<String> csvs = csvFiles(dir);
                if (csvs.size() == 1) {
                    doc.put("csv", csvs.get(0));
                } else if (csvs.size() > 1) {
                    issue = ConfigIssue.of(flags ? "--csv" : "csv", "the dataset folder holds " + csvs.size() + " CSV files ("
                            + String.join(", ", csvs.subList(0, Math.min(5, csvs.size()))) + (csvs.size() > 5 ? ", ..." : "")
                            + "): name the records file with " + (flags ? "--csv FILE" : "csv:"));
                }
            }
        }
        if (category != null) {
            for (String sidecar : category.sidecars()) {
                String folder = IngestDefaults.sidecarFolder(sidecar);
                if (!doc.has(sidecar) && Files.isDirectory(dir.resolve(folder))) {
                    doc.put(sidecar, folder);
                }
            }
        }
        return issue;
    }

    private static List<String> csvFiles(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (name.toLowerCase(Locale.ROOT).endsWith(".csv") && Files.isRegularFile(p)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            return names;
        }
        names.sort(null);
        return names;
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }
}
