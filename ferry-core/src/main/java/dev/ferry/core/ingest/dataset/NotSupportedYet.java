package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import java.nio.file.Path;
import java.util.List;

/** A category whose config is validated but whose dataset checks and rows are not built yet. */
final class NotSupportedYet implements DatasetCategory {
    private final Category category;

    NotSupportedYet(Category category) {
        this.category = category;
    }

    @Override
    public Category category() {
        return category;
    }

    @Override
    public DatasetOutcome check(Path datasetDir, IngestConfig config, RecordProgress progress) {
        DatasetReport report = new DatasetReport();
        report.error("dataset checks and ingestion for category " + category + " are not supported yet"
                + " (its config is valid); supported now: image_classification, object_detection, keypoint_detection,"
                + " semantic_segmentation, tabular_classification, tabular_regression");
        return new DatasetOutcome(report, new RowsTable(List.of()));
    }
}
