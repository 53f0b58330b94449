package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/** causal_language_modeling: {@code texts/*.txt}, plain text or {@code prompt<TAB>completion}; no label. */
final class CausalLanguageModeling extends TextDataset {
    CausalLanguageModeling() {
        super(Category.CAUSAL_LANGUAGE_MODELING);
    }
}
