package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;

/**
 * seq2seq: {@code texts/*.txt} of {@code source<TAB>target}; no label. The reference checks nothing
 * beyond the text family's rules, and neither does Ferry (a target may itself hold tabs).
 */
final class Seq2Seq extends TextDataset {
    Seq2Seq() {
        super(Category.SEQ2SEQ);
    }
}
