package dev.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The build's version, from a resource Maven fills in. */
final class VersionInfo implements CommandLine.IVersionProvider {
    static final int STORAGE_FORMAT = 1;

    static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ferry " + version() + " (storage format " + STORAGE_FORMAT + ", Java "
                + Runtime.version() + ")"};
    }
}
