package dev.ferry.core.api;

import dev.ferry.core.ingest.ConfigFlags;
import java.nio.file.Path;

/** {@code dataset push}: a dataset folder, its config (file and/or flags), and the version's message and label. */
public record PushRequest(Path path, Path configFile, ConfigFlags flags, String message, String label) {

    /** The run spec of this push: absolute paths, as the server reads them. */
    public static dev.ferry.core.run.RunSpec.Push spec(PushRequest r) {
        return new dev.ferry.core.run.RunSpec.Push(r.path().toAbsolutePath().normalize().toString(),
                r.configFile() == null ? null : r.configFile().toAbsolutePath().normalize().toString(), r.flags(),
                r.message(), r.label());
    }
}
