package dev.ferry.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version (from a resource Maven fills in), shared by the CLI, the client and the server. */
public final class FerryVersion {
    /**
     * The on-disk storage format this build writes (docs/storage-format.md). 2: rows tables are Parquet;
     * format 1's JSON Lines tables are still read.
     */
    public static final int STORAGE_FORMAT = 2;
    /** The HTTP API's version, as in its paths. */
    public static final String API = "v1";
    private static final String VERSION = load();

    private FerryVersion() {}

    public static String current() {
        return VERSION;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = FerryVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }
}
