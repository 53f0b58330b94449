package dev.ferry.core.manifest;

/** The rules a stored path must follow, so that restoring it can never leave the destination. */
public final class ManifestPaths {
    /** The longest path a manifest holds, in UTF-8 bytes (Linux's PATH_MAX). */
    public static final int MAX_PATH_BYTES = 4096;
    /** The longest name of one component, in UTF-8 bytes (NAME_MAX of common file systems). */
    public static final int MAX_NAME_BYTES = 255;

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
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            return "longer than " + MAX_PATH_BYTES + " bytes";
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty()) {
                return "empty path component";
            }
            if (part.equals(".") || part.equals("..")) {
                return "'" + part + "' component";
            }
            if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                return "a name longer than " + MAX_NAME_BYTES + " bytes";
            }
        }
        return null;
    }
}
