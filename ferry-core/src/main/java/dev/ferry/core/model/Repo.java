package dev.ferry.core.model;

import java.time.Instant;

/** A named dataset with one lifecycle. */
public record Repo(String name, String description, Instant createdAt, Author createdBy, long bundleCount) {}
