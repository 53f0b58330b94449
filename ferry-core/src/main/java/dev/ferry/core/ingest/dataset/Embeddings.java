package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/** embeddings: texts of {@code anchor<TAB>positive[<TAB>negative]} (two or three fields); no label. */
final class Embeddings extends TextPairs {
    Embeddings() {
        super(Category.EMBEDDINGS, "anchor<TAB>positive[<TAB>negative]", 2, 3);
    }
}
