package dev.ferry.core.ingest.dataset;

/**
 * Where a category's checks report how far they are, so that an ingestion's progress events (and the
 * bar a terminal draws from them) move while a large dataset is checked. An implementation may throw
 * to stop the checks, which is how a cancelled run stops at the next record.
 */
@FunctionalInterface
public interface RecordProgress {
    /** Reports nothing (the local preflight, tests). */
    RecordProgress NONE = (done, total) -> {};

    /** How often, in records, reading a records file reports. */
    int READ_INTERVAL = 1024;

    /** {@code done} records fully checked of {@code total} (0 while the records file is still being read). */
    void records(long done, long total);
}
