package dev.ferry.core.manifest;

import dev.ferry.core.model.Digest;

/** A written manifest: its root digest and totals. */
public record ManifestSummary(Digest root, long fileCount, long totalBytes) {}
