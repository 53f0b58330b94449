package dev.ferry.core.model;

import java.time.Instant;

/** A mutable name for a bundle within one repo. */
public record Label(String repo, String name, String bundleId, Instant updatedAt, Author updatedBy) {}
