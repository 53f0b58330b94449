package dev.ferry.core.catalog;

import dev.ferry.core.model.Author;
import dev.ferry.core.model.Digest;
import java.time.Instant;
import java.util.List;

/**
 * What an upload asks the catalog to record, once every byte it names is durable. {@code alwaysNew}:
 * a new bundle even when one with the same manifest exists (a dataset version of the same files that
 * is ingested with another config). {@code ingestion}: the rows table of a dataset push, recorded for
 * the committed bundle in the same transaction (its {@code bundleId} is ignored), so that no label
 * ever names a pushed version without its rows; null for a plain upload.
 */
public record BundleCommit(
        String id,
        String repo,
        String message,
        Author author,
        Instant createdAt,
        long fileCount,
        long totalBytes,
        Digest manifest,
        List<String> labels,
        boolean alwaysNew,
        dev.ferry.core.model.Ingestion ingestion) {
    public BundleCommit {
        labels = List.copyOf(labels);
    }

    /** A commit that reuses the newest bundle with the same manifest, if there is one. */
    public BundleCommit(String id, String repo, String message, Author author, Instant createdAt, long fileCount,
            long totalBytes, Digest manifest, List<String> labels) {
        this(id, repo, message, author, createdAt, fileCount, totalBytes, manifest, labels, false, null);
    }
}
