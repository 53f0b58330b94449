package dev.ferry.core.model;

import java.time.Instant;
import java.util.List;

/**
 * The rows table of an ingested bundle: stored as a one-file manifest ({@code rowsManifest}) of JSON
 * Lines, with the resolved config and the run's summary (both JSON text).
 */
public record Ingestion(
        String repo,
        String bundleId,
        String category,
        Digest rowsManifest,
        long rowCount,
        List<String> columns,
        String config,
        String summary,
        Instant createdAt) {
    public Ingestion {
        columns = List.copyOf(columns);
    }
}
