package dev.ferry.core.api;

import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.DatasetLayout;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.Preflight;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code dataset push}: a dataset folder, its config (file and/or flags), and the version's message and label. */
public record PushRequest(Path path, Path configFile, ConfigFlags flags, String message, String label) {

    /**
     * The push of what a preflight checked: the dataset folder (or a one-file dataset's file), with the
     * paths where the check found the config's files, so the server reads exactly those.
     */
    public static PushRequest of(Preflight.Result checked, Path configFile, ConfigFlags flags, String message,
            String label) {
        DatasetLayout layout = checked.config().layout();
        Map<String, String> paths = new LinkedHashMap<>(layout.sidecars());
        paths.put(checked.config().config().records().format() == IngestConfig.Format.CSV ? "csv" : "json", layout.records());
        return new PushRequest(layout.upload(), configFile, flags.withPaths(paths), message, label);
    }

    /** The run spec of this push: absolute paths, as the server reads them. */
    public static dev.ferry.core.run.RunSpec.Push spec(PushRequest r) {
        return new dev.ferry.core.run.RunSpec.Push(r.path().toAbsolutePath().normalize().toString(),
                r.configFile() == null ? null : r.configFile().toAbsolutePath().normalize().toString(), r.flags(),
                r.message(), r.label());
    }
}
