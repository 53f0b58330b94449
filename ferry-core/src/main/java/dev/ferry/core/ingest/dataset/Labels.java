package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import java.util.Set;

/** What every category asks of labels: that a row can store one, and that a dataset has enough of them. */
final class Labels {
    private Labels() {}

    /** Whether a label can be stored (no control characters, not too long); reports the record when not. */
    static boolean storable(String label, RecordsSource.Record record, DatasetReport report) {
        String problem = Values.nameProblem(label, Values.MAX_LABEL);
        if (problem != null) {
            report.offender("labels that cannot be stored (no control characters, at most "
                    + String.format("%,d", Values.MAX_LABEL) + " characters)", record.where() + " " + Values.shown(label)
                    + " (" + problem + ")");
        }
        return problem == null;
    }

    /** Reports a dataset with fewer distinct labels than its category needs ({@code besides}: what else it held). */
    static void enough(Set<String> labels, int minimum, Category category, String besides, DatasetReport report) {
        if (labels.size() < minimum && !report.hasErrors()) {
            report.error("only " + labels.size() + " distinct label" + (labels.size() == 1 ? " (" + Values.shown(labels
                    .iterator().next()) + ")" : "s") + besides + ": " + category + " needs at least " + minimum);
        }
    }
}
