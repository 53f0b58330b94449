package dev.ferry.core.transfer;

/** What a download wrote. */
public record DownloadOutcome(long files, long bytes) {}
