package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/**
 * Text categories whose every line is tab-separated fields: sentence_pair_classification
 * ({@code text_a<TAB>text_b}, exactly two, with a label column and at least two labels) and embeddings
 * ({@code anchor<TAB>positive[<TAB>negative]}, two or three, no label).
 */
final class TextPairs extends TextDataset {
    private final int[] fields;
    private final String shape;

    TextPairs(Category category) {
        super(category);
        if (category == Category.SENTENCE_PAIR_CLASSIFICATION) {
            fields = new int[] {2};
            shape = "text_a<TAB>text_b";
        } else if (category == Category.EMBEDDINGS) {
            fields = new int[] {2, 3};
            shape = "anchor<TAB>positive[<TAB>negative]";
        } else {
            throw new IllegalArgumentException(category + " is not a category of tab-separated pairs");
        }
    }

    @Override
    int minimumLabels() {
        return category() == Category.SENTENCE_PAIR_CLASSIFICATION ? 2 : 0;
    }

    @Override
    String fileProblem(TextScan scan) {
        String problem = scan.fieldsProblem(fields);
        return problem == null ? null : problem + ", not " + shape;
    }
}
