package dev.ferry.core.run;

/** The run a submission created ({@code created}), or the existing run its idempotency key named. */
public record Submission(Run run, boolean created) {}
