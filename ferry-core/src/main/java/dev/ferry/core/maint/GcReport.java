package dev.ferry.core.maint;

/** What {@code ferry gc} removed (or, with --dry-run, would remove). */
public record GcReport(
        boolean dryRun,
        long liveBlobs,
        int packsDeleted,
        int packsRepacked,
        long blobsDropped,
        long bytesFreed,
        int orphanPacksDeleted,
        int partialPacksDeleted,
        int packsKeptForGrace) {}
