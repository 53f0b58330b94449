package dev.ferry.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.run.RunEvent;

/**
 * How a run page shows progress: the share of records when they are counted, else of bytes, else of
 * files. static/run.js applies the same rule to the events that arrive after the page was rendered.
 */
final class RunProgress {
    private RunProgress() {}

    static int percent(RunEvent.Progress p) {
        double done = p.recordsTotal() > 0 ? (double) p.recordsDone() / p.recordsTotal()
                : p.bytesTotal() > 0 ? (double) p.bytesDone() / p.bytesTotal()
                : p.filesTotal() > 0 ? (double) p.filesDone() / p.filesTotal() : 0;
        return (int) Math.floor(Math.min(1, done) * 100);
    }

    static String describe(RunEvent.Progress p) {
        StringBuilder s = new StringBuilder(p.phase().id());
        if (p.filesTotal() > 0) {
            s.append(" · files ").append(p.filesDone()).append('/').append(p.filesTotal());
        }
        if (p.recordsTotal() > 0) {
            s.append(" · records ").append(p.recordsDone()).append('/').append(p.recordsTotal());
        }
        return s.toString();
    }

    /** A push's outcome in a line (version, records); an upload's bundle. */
    static String describeResult(JsonNode result) {
        JsonNode summary = result.path("summary");
        String version = result.path("bundle").path("id").asText("");
        if (summary.isMissingNode()) {
            return version.isEmpty() ? "" : "bundle " + version;
        }
        return "version " + version + " · " + summary.path("records").asLong() + " records · " + summary.path("inserted").asLong()
                + " inserted · " + summary.path("skipped").asLong() + " skipped · " + summary.path("failed").asLong() + " failed";
    }
}
