package dev.ferry.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which build of Ferry this process runs: the size and modification time of the jar its classes
 * came from ("classes" when they come from a directory, as in tests). A rebuild during development
 * keeps the version but changes this, so a CLI never hands its commands to a server running older
 * code. Its own class, apart from {@link FerryVersion}: the thin client asks for it first thing, and
 * reading the version resource would open the jar.
 */
public final class BuildId {
    private static final String CURRENT = locate();

    private BuildId() {}

    public static String current() {
        return CURRENT;
    }

    private static String locate() {
        try {
            Path where = Path.of(BuildId.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(where)) {
                return "classes";
            }
            BasicFileAttributes attributes = Files.readAttributes(where, BasicFileAttributes.class);
            return "jar." + attributes.size() + "." + attributes.lastModifiedTime().toMillis();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
