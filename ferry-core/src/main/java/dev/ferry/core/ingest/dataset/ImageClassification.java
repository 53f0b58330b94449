package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/**
 * image_classification: the image family's rules, a label per record, and at least two distinct
 * labels.
 */
final class ImageClassification extends ImageDataset {
    ImageClassification() {
        super(Category.IMAGE_CLASSIFICATION, LabelRule.REQUIRED, 2);
    }
}
