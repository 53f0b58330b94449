package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/** masked_language_modeling: the text family's rules over {@code sequences/*.txt}; every listed file exists; no label. */
final class MaskedLanguageModeling extends TextDataset {
    MaskedLanguageModeling() {
        super(Category.MASKED_LANGUAGE_MODELING);
    }
}
