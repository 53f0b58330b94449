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

    /** The summary as JSON-ready fields (stored with the ingestion, printed by `-o json`). */
    public java.util.Map<String, Object> asMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("records", records);
        m.put("inserted", inserted);
        m.put("skipped", skipped);
        m.put("failed", failed);
        m.put("files", files);
        m.put("bytes", bytes);
        m.put("successRate", successRate());
        m.put("labels", labels);
        m.put("failures", failures);
        return m;
    }

    /** Inserted or skipped as identical, over all records; 1 when there were none. */
    public double successRate() {
        return records == 0 ? 1.0 : (double) (inserted + skipped) / records;
    }
}
