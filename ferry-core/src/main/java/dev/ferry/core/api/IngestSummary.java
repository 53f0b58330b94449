package dev.ferry.core.api;

import java.util.List;

/**
 * What a push did to the records: how many there were, were inserted into the rows table, were
 * skipped (an identical version was already ingested), failed (with the reasons), and the files.
 * {@code labels} lists at most {@link #LISTED_LABELS} of the {@code labelCount} distinct labels.
 */
public record IngestSummary(
        long records,
        long inserted,
        long skipped,
        long failed,
        long files,
        long bytes,
        List<String> labels,
        long labelCount,
        List<String> failures) {
    /** Distinct labels a summary lists (a dataset may have millions; the rows table has them all). */
    public static final int LISTED_LABELS = 100;

    public IngestSummary {
        labelCount = Math.max(labelCount, labels.size());
        labels = List.copyOf(labels.subList(0, Math.min(LISTED_LABELS, labels.size())));
        failures = List.copyOf(failures);
    }

    public IngestSummary(long records, long inserted, long skipped, long failed, long files, long bytes,
            List<String> labels, List<String> failures) {
        this(records, inserted, skipped, failed, files, bytes, labels, labels.size(), failures);
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
        m.put("labelCount", labelCount);
        m.put("failures", failures);
        return m;
    }

    /** Inserted or skipped as identical, over all records; 1 when there were none. */
    public double successRate() {
        return records == 0 ? 1.0 : (double) (inserted + skipped) / records;
    }
}
