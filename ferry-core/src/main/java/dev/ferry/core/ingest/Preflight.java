package dev.ferry.core.ingest;

import dev.ferry.core.ingest.dataset.DatasetCategory;
import java.nio.file.Path;

/**
 * Every local check before anything moves: the config (schema and category rules), then, for a
 * dataset (a folder, a config's paths, a tabular CSV file), the category's dataset checks. `ferry
 * ingest validate` and `ferry dataset push` run exactly this, and so does the ingestion.
 */
public final class Preflight {
    private Preflight() {}

    /** The config outcome, and the dataset outcome when a folder was checked with a valid config. */
    public record Result(ConfigResolver.Resolved config, DatasetCategory.DatasetOutcome dataset) {
        public boolean ok() {
            return config.valid() && (dataset == null || !dataset.report().hasErrors());
        }
    }

    /** @param target a dataset folder, a records file, a config file, or null when {@code configFile} names the data */
    public static Result run(Path target, Path configFile, ConfigFlags flags) {
        ConfigResolver.Resolved resolved = ConfigResolver.resolve(target, configFile, flags);
        if (!resolved.valid() || resolved.layout() == null) {
            return new Result(resolved, null);
        }
        DatasetCategory category = DatasetCategory.of(resolved.config().category());
        DatasetCategory.DatasetOutcome outcome = category.check(resolved.layout(), resolved.config(),
                dev.ferry.core.ingest.dataset.RecordProgress.NONE);
        // a check before anything moves keeps its report, not a large table's spilled rows: the ingestion builds its own
        outcome.rows().close();
        return new Result(resolved, outcome);
    }
}
