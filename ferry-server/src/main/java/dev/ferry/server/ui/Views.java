package dev.ferry.server.ui;

import dev.ferry.core.model.Dataset;
import dev.ferry.core.model.DatasetStats;
import dev.ferry.core.model.RowsDiff;
import dev.ferry.core.run.Run;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What each page of the web UI shows, computed by {@link WebUi} and rendered by its jte template
 * (src/main/jte). Public because the templates compile to classes of another package; every value is
 * HTML-escaped by jte, and every URL is built here with its parameters encoded.
 */
public final class Views {
    private Views() {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A query string value, encoded. */
    public static String q(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** A path segment (tables, versions and run ids are plain names; encoded all the same). */
    public static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An id shortened for a cell, in full in its title. */
    public static String shortId(String id) {
        return id == null ? "" : id.length() <= 14 ? id : id.substring(0, 12) + "…";
    }

    /** A cell's text shortened to 32 characters (the whole in its title). */
    public static String shortText(String text) {
        return text == null ? "" : text.length() <= 32 ? text : text.substring(0, 31) + "…";
    }

    /** Every page: who is logged in and which section is current. */
    public record Frame(String title, String who, String section) {}

    public record DatasetsPage(Frame frame, List<Dataset> datasets) {}

    /** One version of a table in the versions list. */
    public record VersionRow(String id, String message, String author, Instant createdAt, List<String> labels, long rows,
            long files, long bytes) {}

    public record DatasetPage(Frame frame, String table, String category, List<VersionRow> versions, DatasetStats stats) {
        public String rowsUrl(String version) {
            return "/ui/datasets/" + seg(table) + "/rows?version=" + q(version);
        }

        public long maxLabelRows() {
            return stats == null ? 0 : stats.labels().stream().mapToLong(DatasetStats.LabelCount::rows).max().orElse(0);
        }
    }

    /** A cell of the rows table: its text, and a thumbnail URL for an image's file name. */
    public record Cell(String text, String thumbnail) {}

    public record RowsPageView(Frame frame, String table, String version, List<String> columns,
            List<List<Cell>> rows, long total, long offset, int limit, String label, String where, List<DatasetStats.LabelCount> labels,
            long allRows, String error, long serverMillis, ThumbnailsStatus thumbnails) {
        public String pageUrl(long at) {
            return url(at, label, where);
        }

        public String labelUrl(String l) {
            return url(0, l, where);
        }

        private String url(long at, String l, String w) {
            StringBuilder u = new StringBuilder("/ui/datasets/" + seg(table) + "/rows?version=" + q(version));
            if (at > 0) {
                u.append("&offset=").append(at);
            }
            if (l != null && !l.isBlank()) {
                u.append("&label=").append(q(l));
            }
            if (w != null && !w.isBlank()) {
                u.append("&where=").append(q(w));
            }
            return u.toString();
        }

        public boolean hasPrevious() {
            return offset > 0;
        }

        public boolean hasNext() {
            return offset + rows.size() < total;
        }

        public long previousOffset() {
            return Math.max(0, offset - limit);
        }

        public long nextOffset() {
            return offset + limit;
        }

        public long maxLabelRows() {
            return labels.stream().mapToLong(DatasetStats.LabelCount::rows).max().orElse(0);
        }

        public String exportUrl(String format) {
            return "/api/v1/datasets/" + seg(table) + "/rows?version=" + q(version) + "&format=" + format;
        }
    }

    /** One change of a diff, with the before and after images when the rows name files. */
    public record ChangeView(String kind, String dataId, List<String[]> values, String beforeThumbnail, String afterThumbnail) {}

    public record DiffPage(Frame frame, String table, RowsDiff diff, List<ChangeView> changes, String kind) {
        public String kindUrl(String k) {
            return "/ui/datasets/" + seg(table) + "/diff?from=" + q(diff.from()) + "&to=" + q(diff.to())
                    + (k == null ? "" : "&kind=" + k);
        }

        public String pageUrl(long at) {
            return kindUrl(kind) + "&offset=" + at;
        }

        public boolean hasNext() {
            return diff.offset() + diff.changes().size() < diff.total();
        }

        public boolean hasPrevious() {
            return diff.offset() > 0;
        }
    }

    public record RunsPage(Frame frame, List<Run> runs) {}

    /** A run's page: its state now, the progress and log lines so far, and where its event stream resumes. */
    public record RunPage(Frame frame, Run run, int percent, String progressText, List<String> log, long lastSeq,
            String resultText) {}

    public record LoginPage(Frame frame, String error, String next) {}

    public record ErrorPage(Frame frame, int status, String message, String hint) {}

    /**
     * How far the making of a version's thumbnails is, for its rows page: {@code made} of {@code images}
     * ({@code images} is -1 until they are listed), {@code done} once every one was made or tried, in
     * {@code millis}.
     */
    public record ThumbnailsStatus(long made, long images, boolean done, long millis, String failure) {
        static ThumbnailsStatus of(Thumbnails.Build b) {
            return new ThumbnailsStatus(b.done(), b.total(), b.finished(), b.millis(), b.failure());
        }
    }
}
