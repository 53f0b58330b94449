package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import java.nio.file.Path;

/**
 * The text family's shared rules, beyond the file-bearing ones: every file the records name is UTF-8
 * text. A category may require a shape of each file ({@link #fileProblem}: tab-separated fields)
 * or of each record with its file (token classification's tags).
 */
abstract sealed class TextDataset extends FileDataset
        permits TextClassification, TokenClassification, TextPairs, MaskedLanguageModeling, CausalLanguageModeling,
            Seq2Seq {

    TextDataset(Category category) {
        super(category);
    }

    @Override
    Inspected inspect(Path file) {
        try {
            TextScan scan = TextScan.of(file);
            String problem = fileProblem(scan);
            return problem == null ? new Usable(scan, scan.digest()) : new Unusable(problem);
        } catch (TextScan.NotText e) {
            return new Unusable(e.getMessage());
        }
    }

    /** Why a file of this category is not what it must be, or null. */
    String fileProblem(TextScan scan) {
        return null;
    }

    @Override
    String unusableKind() {
        return "text files that cannot be used";
    }
}
