package dev.ferry.cli;

import dev.ferry.core.api.IngestSummary;
import dev.ferry.core.api.PushResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The box a push ends with: what was ingested, into which version, and how well. */
final class SummaryPanel {
    private SummaryPanel() {}

    static List<String> lines(PushResult r) {
        IngestSummary s = r.summary();
        List<String> body = new ArrayList<>();
        body.add("records   " + s.records() + " total · " + s.inserted() + " inserted · " + s.skipped() + " skipped · "
                + s.failed() + " failed");
        body.add("files     " + s.files() + " (" + Human.bytes(s.bytes()) + ")");
        if (!s.labels().isEmpty()) {
            body.add("labels    " + s.labelCount() + " (" + listed(s.labels(), s.labelCount()) + ")");
        }
        body.add("version   " + r.bundle().id() + (r.newVersion() ? " (new)" : " (unchanged: already ingested)"));
        body.add("success   " + String.format(Locale.ROOT, "%.1f %%", 100 * s.successRate()) + " in "
                + Human.duration(r.elapsed()));
        String title = " " + r.table() + " · " + r.category() + " · " + r.intent() + " ";
        int width = Math.max(title.length() + 2, body.stream().mapToInt(String::length).max().orElse(0) + 2);
        List<String> out = new ArrayList<>();
        out.add("┌─" + title + "─".repeat(Math.max(0, width - title.length() - 1)) + "┐");
        for (String line : body) {
            out.add("│ " + line + " ".repeat(width - line.length() - 1) + "│");
        }
        out.add("└" + "─".repeat(width) + "┘");
        return out;
    }

    /** The first labels, as many as fit a line of a panel (ranges and long names would widen it past a terminal). */
    static String listed(java.util.List<String> labels, long count) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (String label : labels) {
            String cut = label.length() > 40 ? label.substring(0, 39) + "…" : label;
            if (shown > 0 && out.length() + cut.length() > 60) {
                break;
            }
            out.append(shown == 0 ? "" : ", ").append(cut);
            shown++;
        }
        return shown < count ? out + ", ..." : out.toString();
    }
}
