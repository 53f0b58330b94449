package dev.ferry.core.ingest;

import dev.ferry.core.ingest.IngestConfig.DataIdStrategy;

/**
 * Every default the ingest.v1 schema does not state, in one place (docs/ingest-config.md lists the
 * same; reference ingest-v1.md §4 is where they come from).
 *
 * <ul>
 *   <li>records file: {@code labels.csv} in the dataset folder; for a one-file category (tabular,
 *       time series, time to event) the folder's one {@code .csv} file, whatever its name;</li>
 *   <li>sidecar folders: the key's own name ({@code images/}, {@code masks/}, ...);</li>
 *   <li>extension: when not configured, the most common one in the data folder; all files the records
 *       name must then have it (.jpg and .jpeg count as one);</li>
 *   <li>image size: {@code spec.file_options.target_size}, else the top-level {@code target_size},
 *       else the size of the first image (Ferry infers it instead of the ecosystem's per-category
 *       default, and {@code --print-config} says so); all images must have it;</li>
 *   <li>minimum image size: 32x32;</li>
 *   <li>label policy: a string label is passthrough; from flags, regression's is bucket; bucket
 *       without {@code buckets} uses the deciles of the dataset's label values as edges;</li>
 *   <li>time column: {@code timestamp} for time series, {@code time} for time to event;</li>
 *   <li>data id: content_hash (SHA-256 of the record's file, or 64 bits of that of its values for
 *       one-file categories; the n-th repeat of the same file or values adds "#n" before hashing), so pushing
 *       the same data again gives the same ids and repeated rows stay distinct records;</li>
 *   <li>CSV: comma, double quote, no escape character (quotes doubled), 10,000 records per chunk;</li>
 *   <li>intent from flags: train.</li>
 * </ul>
 */
public final class IngestDefaults {
    public static final String RECORDS_FILE = "labels.csv";
    public static final String CONFIG_FILE = "ingest.yaml";
    public static final DataIdStrategy DATA_ID_STRATEGY = DataIdStrategy.CONTENT_HASH;
    public static final Size MIN_SIZE = new Size(32, 32);
    public static final String INTENT = "train";
    /** Buckets made from the data when a bucket label gives no edges: its deciles. */
    public static final int DEFAULT_BUCKETS = 10;
    public static final char CSV_DELIMITER = ',';
    public static final char CSV_QUOTE = '"';
    public static final int CSV_CHUNK_SIZE = 10_000;

    private IngestDefaults() {}

    /** The folder a sidecar lives in when the config does not name it. */
    public static String sidecarFolder(String key) {
        return key;
    }

    /** The column that holds a record's time, when the config names none; null where none applies. */
    public static String timeColumn(Category category) {
        return switch (category) {
            case TIME_SERIES_FORECASTING, TIME_SERIES_CLASSIFICATION -> "timestamp";
            case TIME_TO_EVENT_PREDICTION -> "time";
            default -> null;
        };
    }

    /** The label policy a label column given by flags gets when no --label-policy is given. */
    public static IngestConfig.LabelPolicy flagPolicy(Category category) {
        return category == Category.TABULAR_REGRESSION ? IngestConfig.LabelPolicy.BUCKET : IngestConfig.LabelPolicy.PASSTHROUGH;
    }
}
