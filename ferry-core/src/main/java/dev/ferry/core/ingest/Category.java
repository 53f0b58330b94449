package dev.ferry.core.ingest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The 16 kinds of dataset ingest.v1 knows, each with its family, the sidecar folders it reads and
 * what it does with a label (reference ingest-v1.md §1; the schema states the same rules).
 */
public enum Category {
    IMAGE_CLASSIFICATION(Family.IMAGE, LabelUse.REQUIRED, "images"),
    OBJECT_DETECTION(Family.IMAGE, LabelUse.REQUIRED, "images", "annotations"),
    KEYPOINT_DETECTION(Family.IMAGE, LabelUse.REQUIRED, "images"),
    SEMANTIC_SEGMENTATION(Family.IMAGE, LabelUse.REQUIRED, "images", "masks"),
    TEXT_CLASSIFICATION(Family.TEXT, LabelUse.REQUIRED, "texts"),
    TOKEN_CLASSIFICATION(Family.TEXT, LabelUse.REQUIRED, "texts"),
    SENTENCE_PAIR_CLASSIFICATION(Family.TEXT, LabelUse.REQUIRED, "texts"),
    MASKED_LANGUAGE_MODELING(Family.TEXT, LabelUse.FORBIDDEN, "sequences"),
    CAUSAL_LANGUAGE_MODELING(Family.TEXT, LabelUse.FORBIDDEN, "texts"),
    SEQ2SEQ(Family.TEXT, LabelUse.FORBIDDEN, "texts"),
    EMBEDDINGS(Family.TEXT, LabelUse.FORBIDDEN, "texts"),
    TABULAR_CLASSIFICATION(Family.TABULAR, LabelUse.REQUIRED),
    TABULAR_REGRESSION(Family.TABULAR, LabelUse.OBJECT),
    TIME_SERIES_FORECASTING(Family.TIME_SERIES, LabelUse.OBJECT),
    TIME_SERIES_CLASSIFICATION(Family.TIME_SERIES, LabelUse.REQUIRED),
    TIME_TO_EVENT_PREDICTION(Family.TABULAR, LabelUse.OBJECT);

    /** Categories are grouped by the kind of data beside the records. */
    public enum Family { IMAGE, TEXT, TABULAR, TIME_SERIES }

    /**
     * What the config says of the label: required, forbidden (self-supervised), or, when given, the
     * object form with a policy (regression-like: the value is a number).
     */
    public enum LabelUse { REQUIRED, FORBIDDEN, OBJECT }

    private final Family family;
    private final LabelUse labelUse;
    private final List<String> sidecars;

    Category(Family family, LabelUse labelUse, String... sidecars) {
        this.family = family;
        this.labelUse = labelUse;
        this.sidecars = List.of(sidecars);
    }

    /** The sidecar folders this category reads, the data folder first (a test keeps the schema in step). */
    public List<String> sidecars() {
        return sidecars;
    }

    /** The folder of the files the records name (images, texts, sequences), or null for one-CSV categories. */
    public String dataFolder() {
        return sidecars.isEmpty() ? null : sidecars.get(0);
    }

    public Family family() {
        return family;
    }

    public LabelUse labelUse() {
        return labelUse;
    }

    /** Whether the data is one records file and nothing else (tabular, time series, time to event). */
    public boolean oneFile() {
        return sidecars.isEmpty();
    }

    /** The name used in configs and flags, e.g. image_classification. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Category parse(String id) {
        for (Category c : values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category: " + id);
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Category::id).toList();
    }

    @Override
    public String toString() {
        return id();
    }
}
