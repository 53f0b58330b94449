package dev.ferry.core.catalog;

import dev.ferry.core.model.Author;
import dev.ferry.core.model.Digest;
import java.time.Instant;
import java.util.List;

/** What an upload asks the catalog to record, once every byte it names is durable. */
public record BundleCommit(
        String id,
        String repo,
        String message,
        Author author,
        Instant createdAt,
        long fileCount,
        long totalBytes,
        Digest manifest,
        List<String> labels) {
    public BundleCommit {
        labels = List.copyOf(labels);
    }
}
