package dev.ferry.core.transfer;

import dev.ferry.core.manifest.ManifestSummary;
import java.util.List;

/** What an upload stored: the manifest, what was new, what was re-read and what was left out. */
public record UploadOutcome(
        ManifestSummary manifest,
        long newBytes,
        long newBlobs,
        int packsWritten,
        long filesRead,
        long filesFromCache,
        List<TreeWalker.Skipped> skipped) {
    public UploadOutcome {
        skipped = List.copyOf(skipped);
    }
}
