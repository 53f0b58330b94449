package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.DatasetLayout;
import dev.ferry.core.ingest.IngestConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * The SPI of a category's dataset rules: the layout it needs, the checks it runs over a dataset, and
 * the rows it builds from the records that pass. The same code runs as the local preflight and inside
 * the ingestion, so what passes locally is never rejected later for a reason the preflight could have
 * seen.
 */
public interface DatasetCategory {
    Category category();

    /**
     * Checks a dataset (its folder, or a one-file dataset's file) against a valid config whose paths
     * are relative to the folder, and builds the rows of the records that pass, reporting to
     * {@code progress} as it goes.
     */
    DatasetOutcome check(DatasetLayout dataset, IngestConfig config, RecordProgress progress);

    /** {@link #check(DatasetLayout, IngestConfig, RecordProgress)} of a dataset folder. */
    default DatasetOutcome check(Path datasetDir, IngestConfig config, RecordProgress progress) {
        return check(new DatasetLayout(datasetDir, datasetDir, config.records().path(), config.sidecars(), List.of()),
                config, progress);
    }

    /** The checks of a dataset folder with nobody to report to. */
    default DatasetOutcome check(Path datasetDir, IngestConfig config) {
        return check(datasetDir, config, RecordProgress.NONE);
    }

    /** What the checks found, and the rows table. */
    record DatasetOutcome(DatasetReport report, RowsTable rows) {}

    /** The implementation of a category (one class each): a new one for every check (some keep state while they check). */
    /**
     * Whether the rows engine checks a large CSV of {@code category} with the bucket label policy or
     * not ({@link EngineTableCheck}): a schema inferred for it has the engine read the file meanwhile.
     */
    static boolean engineMayCheck(Category category, boolean bucketPolicy) {
        return of(category) instanceof TableDataset table && table.engineMayCheck(bucketPolicy);
    }

    static DatasetCategory of(Category category) {
        return switch (category) {
            case IMAGE_CLASSIFICATION -> new ImageClassification();
            case OBJECT_DETECTION -> new ObjectDetection();
            case KEYPOINT_DETECTION -> new KeypointDetection();
            case SEMANTIC_SEGMENTATION -> new SemanticSegmentation();
            case TEXT_CLASSIFICATION -> new TextClassification();
            case TOKEN_CLASSIFICATION -> new TokenClassification();
            case SENTENCE_PAIR_CLASSIFICATION -> new SentencePairClassification();
            case MASKED_LANGUAGE_MODELING -> new MaskedLanguageModeling();
            case CAUSAL_LANGUAGE_MODELING -> new CausalLanguageModeling();
            case SEQ2SEQ -> new Seq2Seq();
            case EMBEDDINGS -> new Embeddings();
            case TABULAR_CLASSIFICATION -> new TabularClassification();
            case TABULAR_REGRESSION -> new TabularRegression();
            case TIME_TO_EVENT_PREDICTION -> new TimeToEvent();
            case TIME_SERIES_FORECASTING -> new TimeSeriesForecasting();
            case TIME_SERIES_CLASSIFICATION -> new TimeSeriesClassification();
        };
    }
}
