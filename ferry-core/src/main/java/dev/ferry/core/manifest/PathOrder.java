package dev.ferry.core.manifest;

import java.util.Comparator;

/**
 * The one order of paths in Ferry: component by component, each compared by code point. It is the
 * order of a depth-first walk that visits a directory's entries sorted by name, so a walk can write a
 * manifest without sorting it, and two manifests can be merged (diffed) in one pass.
 * Equivalent to comparing code points with '/' ranked below every other character.
 */
public final class PathOrder {
    public static final Comparator<String> COMPARATOR = PathOrder::compare;

    private PathOrder() {}

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(rank(ca), rank(cb));
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static int rank(int codePoint) {
        return codePoint == '/' ? -1 : codePoint;
    }
}
