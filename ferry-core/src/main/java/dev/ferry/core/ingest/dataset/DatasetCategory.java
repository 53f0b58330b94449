package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import java.nio.file.Path;

/**
 * The SPI of a category's dataset rules: the layout it needs, the checks it runs over a dataset
 * folder, and the rows it builds from the records that pass. The same code runs as the local
 * preflight and inside the ingestion, so what passes locally is never rejected later for a reason
 * the preflight could have seen.
 */
public interface DatasetCategory {
    Category category();

    /**
     * Checks a dataset folder against a valid config and builds the rows of the records that pass,
     * reporting to {@code progress} as it goes.
     */
    DatasetOutcome check(Path datasetDir, IngestConfig config, RecordProgress progress);

    /** {@link #check(Path, IngestConfig, RecordProgress)} with nobody to report to. */
    default DatasetOutcome check(Path datasetDir, IngestConfig config) {
        return check(datasetDir, config, RecordProgress.NONE);
    }

    /**
     * The files of the dataset folder (relative to it) one of this category's rows was built from,
     * the records file aside: the ingestion checks that the bundle holds them as they were read. The
     * first is the file a content-hash data id is the digest of.
     */
    default java.util.List<String> filesOf(java.util.List<Object> row, IngestConfig config) {
        return java.util.List.of();
    }

    /** What the checks found, and the rows table. */
    record DatasetOutcome(DatasetReport report, RowsTable rows) {}

    /** The implementation for a category; categories without dataset rules yet say so when checked. */
    static DatasetCategory of(Category category) {
        return switch (category) {
            case IMAGE_CLASSIFICATION -> new ImageClassification();
            case OBJECT_DETECTION -> new ObjectDetection();
            case KEYPOINT_DETECTION -> new KeypointDetection();
            case SEMANTIC_SEGMENTATION -> new SemanticSegmentation();
            case TABULAR_CLASSIFICATION, TABULAR_REGRESSION -> new Tabular(category);
            default -> new NotSupportedYet(category);
        };
    }
}
