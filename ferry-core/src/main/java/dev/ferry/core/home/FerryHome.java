package dev.ferry.core.home;

import java.nio.file.Path;
import java.util.Map;

/**
 * The layout of {@code $FERRY_HOME} ({@code ~/.ferry} by default). See docs/storage-format.md.
 */
public record FerryHome(Path root) {
    public static final String ENV = "FERRY_HOME";

    public static FerryHome resolve(Map<String, String> env) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            return new FerryHome(Path.of(configured).toAbsolutePath().normalize());
        }
        return new FerryHome(Path.of(System.getProperty("user.home"), ".ferry"));
    }

    public Path configFile() {
        return root.resolve("config.yaml");
    }

    public Path catalogFile() {
        return root.resolve("catalog.db");
    }

    public Path storeDir() {
        return root.resolve("store");
    }

    public Path statCacheDir() {
        return root.resolve("cache").resolve("stat");
    }

    /** Stored rows tables as Parquet files, read by queries (a cache: deleting it loses nothing). */
    public Path rowsCacheDir() {
        return root.resolve("cache").resolve("rows");
    }

    /** Image thumbnails the web UI shows, by the image's digest (a cache: deleting it loses nothing). */
    public Path thumbnailCacheDir() {
        return root.resolve("cache").resolve("thumbnails");
    }

    /** Where a server restores uploaded datasets for their checks; emptied as each run ends. */
    public Path scratchDir() {
        return root.resolve("scratch");
    }

    /** The stat caches of uploads to one remote server (they must not vouch for another store). */
    public Path remoteStatCacheDir(String serverUrl) {
        return root.resolve("cache").resolve("remote").resolve(dev.ferry.core.model.Digest.of(
                serverUrl.getBytes(java.nio.charset.StandardCharsets.UTF_8)).shortHex());
    }

    public Path storeLockFile() {
        return storeDir().resolve("lock");
    }

    /** Where the local server says how to reach it (pid, port, token); mode 0600. */
    public Path serverFile() {
        return root.resolve("server.json");
    }

    /** Held by the live local server for its whole life: at most one server per FERRY_HOME. */
    public Path serverLockFile() {
        return root.resolve("server.lock");
    }

    /** Held by a CLI while it starts the server, so that two CLIs start one server, not two. */
    public Path serverStartLockFile() {
        return root.resolve("server.start.lock");
    }

    /**
     * How thin clients of this machine reach the local server's command port: its port and token,
     * one per line, in a file (mode 0600) in a directory only the owner may enter. Present while the
     * server runs.
     */
    public Path commandEndpoint() {
        return root.resolve("run").resolve("cli");
    }

    /**
     * Why the background server stopped as it started: its error code, message and hint, one per line;
     * written by the server, read by the CLI that started it, so the user sees the reason itself.
     */
    public Path serverFailureFile() {
        return root.resolve("logs").resolve("server.failed");
    }

    /** Where packs bound for a remote store (S3) are written before they are sent. */
    public Path spoolDir() {
        return root.resolve("spool");
    }

    public Path serverLogFile() {
        return root.resolve("logs").resolve("server.log");
    }
}
