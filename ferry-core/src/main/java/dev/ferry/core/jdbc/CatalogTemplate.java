package dev.ferry.core.jdbc;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A new home's SQLite catalog, copied from an empty one this build already migrated: the migrations
 * (Flyway, ~0.35 s of a new home's first command) then run once per build instead of once per home.
 * The launcher names the file, in its per-build runtime folder ({@value #PROPERTY}); the first new
 * catalog made without it leaves it there. A template of another schema version is migrated like any
 * catalog, so a stale one costs time, never correctness.
 */
final class CatalogTemplate {
    static final String PROPERTY = "ferry.catalog-template";

    private CatalogTemplate() {}

    private static Path template() {
        String path = System.getProperty(PROPERTY);
        return path == null || path.isBlank() ? null : Path.of(path);
    }

    /** Copies the template to {@code file}, which does not exist yet; false when there is none to copy. */
    static boolean copyTo(Path file) {
        Path template = template();
        if (template == null || !Files.isRegularFile(template)) {
            return false;
        }
        Path part = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.copy(template, part, StandardCopyOption.REPLACE_EXISTING);
            move(part, file);
            return true;
        } catch (IOException e) {
            return false; // migrated instead
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a stray file next to the catalog; the next new catalog replaces it
            }
        }
    }

    /** Deletes a catalog copied from an unusable template (and SQLite's files beside it), and the template. */
    static void discard(Path file) {
        try {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            }
            Path template = template();
            if (template != null) {
                Files.deleteIfExists(template);
            }
        } catch (IOException ignored) {
            // the migration that follows reports what is wrong with the folder
        }
    }

    /** Leaves a copy of {@code database}, just migrated and still empty, as the template, if there is none yet. */
    static void keep(DataSource database) {
        Path template = template();
        if (template == null || Files.exists(template) || template.getParent() == null || !Files.isDirectory(template.getParent())) {
            return;
        }
        Path part = template.resolveSibling(template.getFileName() + "." + ProcessHandle.current().pid() + ".new");
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            Files.deleteIfExists(part);
            s.execute("VACUUM INTO '" + part.toString().replace("'", "''") + "'");
            move(part, template);
        } catch (SQLException | IOException e) {
            // only a later new home's start depends on it
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // as above
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
