package dev.ferry.core.ingest;

/**
 * One problem with an ingest config: where (a dotted path, {@code <root>} for the document, and the
 * line and column in the file when it came from YAML or JSON text) and why.
 */
public record ConfigIssue(String path, String message, Integer line, Integer column) implements Comparable<ConfigIssue> {
    public static final String ROOT = "<root>";

    public static ConfigIssue of(String path, String message) {
        return new ConfigIssue(path, message, null, null);
    }

    /** {@code  path: message (line 3, column 8)}, as `ferry ingest validate` prints it. */
    public String format() {
        String where = line == null ? "" : " (line " + line + ", column " + column + ")";
        return "  " + path + ": " + message + where;
    }

    @Override
    public int compareTo(ConfigIssue o) {
        int c = sortKey(path).compareTo(sortKey(o.path));
        return c != 0 ? c : message.compareTo(o.message);
    }

    private static String sortKey(String path) {
        return ROOT.equals(path) ? "" : path;
    }
}
