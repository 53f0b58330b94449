package dev.ferry.core.blob;

import java.time.Instant;

/** A pack the catalog knows is durable. */
public record PackRecord(String id, long size, int blobCount, Instant createdAt) {}
