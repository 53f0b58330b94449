package dev.ferry.core.api;

import java.util.List;

/**
 * What a push did to the records: how many there were, were inserted into the rows table, were
 * skipped (an identical version was already ingested), failed (with the reasons), and the files.
 */
public record IngestSummary(
        long records,
        long inserted,
        long skipped,
        long failed,
        long files,
        long bytes,
        List<String> labels,
        List<String> failures) {
    public IngestSummary {
        labels = List.copyOf(labels);
        failures = List.copyOf(failures);
    }

    /** Inserted or skipped as identical, over all records; 1 when there were none. */
    public double successRate() {
        return records == 0 ? 1.0 : (double) (inserted + skipped) / records;
    }
}
