package dev.ferry.core.maint;

import java.util.List;

/**
 * What {@code ferry fsck} checked and found, and (with --repair) what it rebuilt. Orphans are reported
 * but are not problems.
 */
public record FsckReport(
        int packs,
        long blobs,
        long bytesVerified,
        int bundles,
        long files,
        int orphanPacks,
        List<Problem> problems,
        long problemCount,
        List<String> repaired) {

    public FsckReport {
        problems = List.copyOf(problems);
        repaired = repaired == null ? List.of() : List.copyOf(repaired);
    }

    public boolean clean() {
        return problemCount == 0;
    }

    /** One finding: a kind (stable, for scripts), what it is about, and the details. */
    public record Problem(String kind, String subject, String detail) {}
}
