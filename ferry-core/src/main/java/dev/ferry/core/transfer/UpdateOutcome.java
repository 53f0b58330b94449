package dev.ferry.core.transfer;

/** What {@code bundle update} changed in the destination. */
public record UpdateOutcome(long added, long updated, long deleted, long unchanged) {}
