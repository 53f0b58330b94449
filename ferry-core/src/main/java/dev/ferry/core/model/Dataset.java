package dev.ferry.core.model;

import java.time.Instant;

/** A table as {@code dataset list} shows it: its category and its newest ingested version. */
public record Dataset(String table, String category, String description, int versions, String latestVersion,
        long rows, Instant updatedAt) {}
