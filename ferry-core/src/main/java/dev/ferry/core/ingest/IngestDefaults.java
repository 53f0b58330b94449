package dev.ferry.core.ingest;

import dev.ferry.core.ingest.IngestConfig.DataIdStrategy;
import dev.ferry.core.ingest.IngestConfig.LabelPolicy;

/**
 * Every default the ingest.v1 schema does not state, in one place (and in docs/ingest-config.md).
 *
 * <ul>
 *   <li>records file: {@code labels.csv} in the dataset folder, when neither csv nor json is given;</li>
 *   <li>sidecar folders: the key's own name ({@code images/}, {@code masks/}, ...) when the category
 *       needs one and the config does not name it;</li>
 *   <li>image extension: when not configured, the extension of the first image listed; all images
 *       must then share it;</li>
 *   <li>image target size: when not configured, the size of the first image; all images must then
 *       share it. No minimum size unless min_size is given;</li>
 *   <li>label policy: passthrough;</li>
 *   <li>data id: content_hash (SHA-256 of the image or text file, or of the record's values for
 *       tabular data), so ingesting the same data again gives the same ids;</li>
 *   <li>CSV: comma, double quote, no escape character (quotes doubled), 10,000 records per chunk.</li>
 * </ul>
 */
public final class IngestDefaults {
    public static final String RECORDS_FILE = "labels.csv";
    public static final String CONFIG_FILE = "ingest.yaml";
    public static final LabelPolicy LABEL_POLICY = LabelPolicy.PASSTHROUGH;
    public static final DataIdStrategy DATA_ID_STRATEGY = DataIdStrategy.CONTENT_HASH;
    public static final char CSV_DELIMITER = ',';
    public static final char CSV_QUOTE = '"';
    public static final int CSV_CHUNK_SIZE = 10_000;

    private IngestDefaults() {}

    /** The folder a sidecar lives in when the config does not name it. */
    public static String sidecarFolder(String key) {
        return key;
    }
}
