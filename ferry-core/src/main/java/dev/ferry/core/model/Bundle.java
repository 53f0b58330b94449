package dev.ferry.core.model;

import java.time.Instant;

/**
 * An immutable snapshot of a repo. {@code manifest} addresses the manifest root blob; two bundles
 * with the same manifest hold the same files, byte for byte, with the same modes.
 */
public record Bundle(
        String id,
        String repo,
        String parent,
        String message,
        Author author,
        Instant createdAt,
        long fileCount,
        long totalBytes,
        Digest manifest) {}
