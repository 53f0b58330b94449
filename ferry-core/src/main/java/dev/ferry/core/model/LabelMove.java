package dev.ferry.core.model;

import java.time.Instant;

/** One recorded move of a label; {@code fromBundle} is null when the label was created. */
public record LabelMove(String repo, String label, String fromBundle, String toBundle, Instant at, Author by) {}
