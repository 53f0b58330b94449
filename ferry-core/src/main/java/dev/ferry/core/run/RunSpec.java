package dev.ferry.core.run;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.ferry.core.ingest.ConfigFlags;

/**
 * What a client asks a run to do, as JSON with a {@code kind} field. Paths are absolute paths on the
 * server's machine: a run reads the folder where it runs.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(RunSpec.Upload.class), @JsonSubTypes.Type(RunSpec.Push.class)})
public sealed interface RunSpec {

    default String kind() {
        return getClass().getAnnotation(JsonTypeName.class).value();
    }

    /** {@code bundle upload}: a folder as a new bundle of a repo. */
    @JsonTypeName("upload")
    record Upload(String path, String repo, String message, String label) implements RunSpec {}

    /** {@code dataset push}: a dataset folder, its config file and/or flags, the version's message and label. */
    @JsonTypeName("push")
    record Push(String path, String configFile, ConfigFlags flags, String message, String label) implements RunSpec {}
}
