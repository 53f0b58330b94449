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

    /**
     * Whether the caller keeps the rows the checks build: a check whose report is all that is wanted
     * ({@code ingest validate}, a dry run, the check before an upload to a remote server) lets the
     * one-file categories skip making each record's id and row — the checks themselves are the same.
     */
    default boolean rowsWanted() {
        return true;
    }

    /** Reports nothing and wants only the report. */
    RecordProgress REPORT_ONLY = reportOnly(NONE);

    /** Wants only the report, and tells {@code shown} how far the checks are. */
    static RecordProgress reportOnly(RecordProgress shown) {
        return new RecordProgress() {
            @Override
            public void records(long done, long total) {
                shown.records(done, total);
            }

            @Override
            public boolean rowsWanted() {
                return false;
            }
        };
    }
}
