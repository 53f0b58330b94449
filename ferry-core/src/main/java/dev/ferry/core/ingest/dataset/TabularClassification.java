package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/** tabular_classification: the one-file rules, a label column, at least two distinct labels. */
final class TabularClassification extends TableDataset {
    TabularClassification() {
        super(Category.TABULAR_CLASSIFICATION);
    }

    @Override
    int minimumLabels() {
        return 2;
    }

    @Override
    boolean sharedRulesOnly() {
        return true;
    }
}
