package dev.ferry.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Config keys that mean nothing for a category (a {@code masks} folder for text classification,
 * {@code target_size} for tabular data). ingest.v1 does not refuse them, so a config file that has
 * them stays valid and a note says they are ignored; a flag that sets one is a mistake of the
 * command line, and an error naming the flag. The spec sections Ferry does not run (validators,
 * sidecars, processors) are noted the same way.
 */
final class CategoryKeys {
    private static final List<String> IGNORED_SPEC = List.of("validators", "sidecars", "processors");

    private CategoryKeys() {}

    static void check(JsonNode doc, Category category, Map<String, String> fromFlags, List<ConfigIssue> issues,
            List<String> notes) {
        for (String sidecar : IngestConfig.SIDECARS) {
            if (!category.sidecars().contains(sidecar)) {
                unused(sidecar, doc.has(sidecar), category, fromFlags, issues, notes);
            }
        }
        boolean images = category.family() == Category.Family.IMAGE;
        unused("target_size", !images && doc.has("target_size"), category, fromFlags, issues, notes);
        JsonNode files = doc.path("spec").path("file_options");
        unused("spec.file_options.target_size", !images && files.has("target_size"), category, fromFlags, issues, notes);
        unused("spec.file_options.min_size", !images && files.has("min_size"), category, fromFlags, issues, notes);
        unused("spec.file_options.extension", category.oneFile() && files.has("extension"), category, fromFlags, issues, notes);
        unused("number_of_keypoints", category != Category.KEYPOINT_DETECTION && doc.has("number_of_keypoints"), category,
                fromFlags, issues, notes);
        boolean timed = category.family() == Category.Family.TIME_SERIES || category == Category.TIME_TO_EVENT_PREDICTION;
        unused("time_column", !timed && doc.has("time_column"), category, fromFlags, issues, notes);
        for (String key : IGNORED_SPEC) {
            if (doc.path("spec").has(key)) {
                notes.add("spec." + key + " is accepted and ignored: Ferry runs its own checks of " + category);
            }
        }
    }

    private static void unused(String key, boolean present, Category category, Map<String, String> fromFlags,
            List<ConfigIssue> issues, List<String> notes) {
        if (!present) {
            return;
        }
        String flag = fromFlags.get(key);
        if (flag != null) {
            issues.add(ConfigIssue.of(flag, "does not apply to category " + category));
        } else {
            notes.add(key + " does not apply to category " + category + " (ignored)");
        }
    }
}
