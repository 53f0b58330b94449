package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/**
 * tabular_regression: the one-file rules, a numeric label column (a single distinct value is fine);
 * with the bucket policy (the default from flags) the label is the value's range, the number kept in
 * {@code label_raw}.
 */
final class TabularRegression extends TableDataset {
    TabularRegression() {
        super(Category.TABULAR_REGRESSION);
    }

    @Override
    boolean numericLabels() {
        return true;
    }

    @Override
    boolean sharedRulesOnly() {
        return true;
    }
}
