package dev.ferry.core.manifest;

/** The rules a stored path must follow, so that restoring it can never leave the destination. */
public final class ManifestPaths {
    private ManifestPaths() {}

    /** Why {@code path} is not a safe relative path, or null if it is. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "empty path";
        }
        if (path.startsWith("/")) {
            return "absolute path";
        }
        if (path.indexOf('\0') >= 0) {
            return "NUL character in path";
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty()) {
                return "empty path component";
            }
            if (part.equals(".") || part.equals("..")) {
                return "'" + part + "' component";
            }
        }
        return null;
    }
}
