package dev.ferry.core.ingest;

import dev.ferry.core.ingest.dataset.DatasetCategory;
import dev.ferry.core.ingest.dataset.RecordProgress;
import java.nio.file.Path;

/**
 * Every local check before anything moves: the config (schema and category rules), then, for a
 * dataset (a folder, a config's paths, a tabular CSV file), the category's dataset checks. `ferry
 * ingest validate` and `ferry dataset push` run exactly this, and so does the ingestion.
 */
public final class Preflight {
    private Preflight() {}

    /** The config outcome, and the dataset outcome when a folder was checked with a valid config. */
    public record Result(ConfigResolver.Resolved config, DatasetCategory.DatasetOutcome dataset, FileStamp recordsBefore) {
        public Result(ConfigResolver.Resolved config, DatasetCategory.DatasetOutcome dataset) {
            this(config, dataset, null);
        }

        public boolean ok() {
            return config.valid() && (dataset == null || !dataset.report().hasErrors());
        }
    }

    /** @param target a dataset folder, a records file, a config file, or null when {@code configFile} names the data */
    public static Result run(Path target, Path configFile, ConfigFlags flags) {
        return run(target, configFile, flags, RecordProgress.NONE);
    }

    /** The same, with {@code shown} hearing how far the dataset's checks are (it may throw to stop them). */
    public static Result run(Path target, Path configFile, ConfigFlags flags, RecordProgress shown) {
        ConfigResolver.Resolved resolved = ConfigResolver.resolve(target, configFile, flags);
        if (!resolved.valid() || resolved.layout() == null) {
            return new Result(resolved, null);
        }
        // a check before anything moves keeps its report: no rows are built for it (the ingestion builds its own)
        Result result = check(resolved, RecordProgress.reportOnly(shown));
        result.dataset().rows().close();
        return result;
    }

    /**
     * The same, keeping the rows (the caller closes them), with the records file's stamp taken just
     * before it was read: an ingestion that finds the same stamp after staging uses these rows instead
     * of reading the records again.
     */
    public static Result runKeepingRows(Path target, Path configFile, ConfigFlags flags) {
        return runKeepingRows(target, configFile, flags, RecordProgress.NONE);
    }

    /** The same, with {@code shown} hearing how far the dataset's checks are (it may throw to stop them). */
    public static Result runKeepingRows(Path target, Path configFile, ConfigFlags flags, RecordProgress shown) {
        ConfigResolver.Resolved resolved = ConfigResolver.resolve(target, configFile, flags);
        if (!resolved.valid() || resolved.layout() == null) {
            return new Result(resolved, null);
        }
        return check(resolved, shown);
    }

    /**
     * For an ingestion: the preflight the push command ran in this process for the same dataset, if its
     * records file is unchanged since ({@link RecentPreflights}), else this one, rows kept.
     */
    public static Result forIngestion(Path target, Path configFile, ConfigFlags flags) {
        ConfigResolver.Resolved resolved = ConfigResolver.resolve(target, configFile, flags);
        if (!resolved.valid() || resolved.layout() == null) {
            return new Result(resolved, null);
        }
        return RecentPreflights.take(resolved).orElseGet(() -> check(resolved, RecordProgress.NONE));
    }

    private static Result check(ConfigResolver.Resolved resolved, RecordProgress progress) {
        DatasetCategory category = DatasetCategory.of(resolved.config().category());
        FileStamp before = FileStamp.of(resolved.layout().root().resolve(resolved.config().records().path()));
        DatasetCategory.DatasetOutcome outcome = category.check(resolved.layout(), resolved.config(), progress);
        return new Result(resolved, outcome, before);
    }
}
