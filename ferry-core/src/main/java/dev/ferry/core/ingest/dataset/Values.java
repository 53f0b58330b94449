package dev.ferry.core.ingest.dataset;

/**
 * The limits on what a record may hold, and how a value is shown in a message. A message or the
 * summary never echoes more than {@link #SHOWN} characters of a value, and shows control characters
 * escaped: a 10 MB label once made a 115 MB summary.
 */
final class Values {
    /** Characters of a value a message shows; the rest is counted. */
    static final int SHOWN = 200;
    /** The longest label a record may have, in characters. */
    static final int MAX_LABEL = 1024;
    /** The longest filename (or mask id) a record may name, in characters. */
    static final int MAX_NAME = 1024;
    /** The longest value of any other cell, in characters. */
    static final int MAX_CELL = 65_536;

    private Values() {}

    /** A value as a message shows it: quoted, control characters escaped, cut after {@link #SHOWN} characters. */
    static String shown(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), SHOWN) + 24).append('"');
        int n = Math.min(value.length(), SHOWN);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (value.length() > SHOWN) {
            out.append("... (").append(String.format("%,d", value.length())).append(" characters)");
        }
        return out.toString();
    }

    /** Why a label or a name cannot be one (a control character, too long), or null. */
    static String nameProblem(String value, int max) {
        if (value.length() > max) {
            return String.format("%,d characters, over the limit of %,d", value.length(), max);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "a control character (U+" + String.format("%04X", (int) c) + ") at position " + (i + 1);
            }
        }
        return null;
    }

    /** Why a cell cannot be read as one (a NUL, too long), or null. */
    static String cellProblem(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_CELL) {
            return String.format("%,d characters, over the limit of %,d", value.length(), MAX_CELL);
        }
        return value.indexOf('\0') >= 0 ? "a NUL character" : null;
    }
}
