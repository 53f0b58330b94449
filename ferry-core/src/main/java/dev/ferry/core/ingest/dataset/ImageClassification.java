package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/**
 * image_classification: the image family's rules, one size for all images, a label column (an empty
 * cell is allowed), and at least two distinct labels.
 */
final class ImageClassification extends ImageDataset {
    ImageClassification() {
        super(Category.IMAGE_CLASSIFICATION);
    }

    @Override
    int minimumLabels() {
        return 2;
    }

    @Override
    boolean oneSize() {
        return true;
    }
}
