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

    public Path storeLockFile() {
        return storeDir().resolve("lock");
    }
}
