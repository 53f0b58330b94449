package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/**
 * Text categories whose every line is tab-separated fields: {@link SentencePairClassification} and
 * {@link Embeddings}; a file with another number of fields on a line is refused, naming the line.
 */
abstract sealed class TextPairs extends TextDataset permits SentencePairClassification, Embeddings {
    private final int[] fields;
    private final String shape;

    TextPairs(Category category, String shape, int... fields) {
        super(category);
        this.fields = fields;
        this.shape = shape;
    }

    @Override
    String fileProblem(TextScan scan) {
        String problem = scan.fieldsProblem(fields);
        return problem == null ? null : problem + ", not " + shape;
    }
}
