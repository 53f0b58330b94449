package dev.ferry.cli;

import dev.ferry.core.FerryVersion;
import picocli.CommandLine;

/** The version line of {@code ferry --version}. */
final class VersionInfo implements CommandLine.IVersionProvider {
    static final int STORAGE_FORMAT = FerryVersion.STORAGE_FORMAT;

    static String version() {
        return FerryVersion.current();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ferry " + version() + " (storage format " + STORAGE_FORMAT + ", Java "
                + Runtime.version() + ")"};
    }
}
