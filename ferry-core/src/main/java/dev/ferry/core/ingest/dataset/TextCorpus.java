package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/**
 * Self-supervised text categories with no rule beyond the text family's: masked_language_modeling
 * (files in sequences/), causal_language_modeling (plain text or prompt<TAB>completion) and seq2seq
 * (source<TAB>target). Every file a record names exists and is UTF-8 text; records have no label.
 */
final class TextCorpus extends TextDataset {
    TextCorpus(Category category) {
        super(category);
    }
}
