package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/** sentence_pair_classification: texts of {@code text_a<TAB>text_b} (exactly two fields), a label column, ≥ 2 labels. */
final class SentencePairClassification extends TextPairs {
    SentencePairClassification() {
        super(Category.SENTENCE_PAIR_CLASSIFICATION, "text_a<TAB>text_b", 2);
    }

    @Override
    int minimumLabels() {
        return 2;
    }
}
