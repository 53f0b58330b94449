package dev.ferry.core.ingest;

import java.util.Arrays;
import java.util.List;

/** The 16 kinds of dataset ingest.v1 knows; the schema holds each one's layout rules. */
public enum Category {
    IMAGE_CLASSIFICATION(Family.IMAGE, "images"),
    OBJECT_DETECTION(Family.IMAGE, "images", "annotations"),
    KEYPOINT_DETECTION(Family.IMAGE, "images", "annotations"),
    SEMANTIC_SEGMENTATION(Family.IMAGE, "images", "masks"),
    TEXT_CLASSIFICATION(Family.TEXT, "texts"),
    TOKEN_CLASSIFICATION(Family.TEXT, "texts"),
    SENTENCE_PAIR_CLASSIFICATION(Family.TEXT, "texts"),
    MASKED_LANGUAGE_MODELING(Family.TEXT, "texts"),
    CAUSAL_LANGUAGE_MODELING(Family.TEXT, "texts"),
    SEQ2SEQ(Family.TEXT, "texts"),
    EMBEDDINGS(Family.TEXT, "texts"),
    TABULAR_CLASSIFICATION(Family.TABULAR),
    TABULAR_REGRESSION(Family.TABULAR),
    TIME_SERIES_FORECASTING(Family.TIME_SERIES, "sequences"),
    TIME_SERIES_CLASSIFICATION(Family.TIME_SERIES, "sequences"),
    TIME_TO_EVENT_PREDICTION(Family.TABULAR);

    /** Categories are grouped by the kind of data files beside the records. */
    public enum Family { IMAGE, TEXT, TABULAR, TIME_SERIES }

    private final Family family;
    private final List<String> sidecars;

    Category(Family family, String... sidecars) {
        this.family = family;
        this.sidecars = List.of(sidecars);
    }

    /** The sidecar folders the schema allows for this category (a test keeps both in step). */
    public List<String> sidecars() {
        return sidecars;
    }

    public Family family() {
        return family;
    }

    /** The name used in configs and flags, e.g. image_classification. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
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
