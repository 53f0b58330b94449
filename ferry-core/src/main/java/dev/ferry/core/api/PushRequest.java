package dev.ferry.core.api;

import dev.ferry.core.ingest.ConfigFlags;
import java.nio.file.Path;

/** {@code dataset push}: a dataset folder, its config (file and/or flags), and the version's message and label. */
public record PushRequest(Path path, Path configFile, ConfigFlags flags, String message, String label) {}
