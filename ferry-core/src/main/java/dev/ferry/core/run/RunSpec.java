package dev.ferry.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.transfer.UploadOutcome;

/**
 * What a client asks a run to do, as JSON with a {@code kind} field. The data comes one of two ways:
 * a local server reads {@code path}, an absolute path on its own machine; a remote server gets
 * {@code staged}, what the client already uploaded with the missing-blobs + pack protocol (then
 * {@code path} only names the client's folder, for messages).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(RunSpec.Upload.class), @JsonSubTypes.Type(RunSpec.Push.class)})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface RunSpec {

    default String kind() {
        return getClass().getAnnotation(JsonTypeName.class).value();
    }

    /** The folder's uploaded manifest and what its upload cost, when the client staged it; else null. */
    UploadOutcome staged();

    String path();

    /** {@code bundle upload}: a folder as a new bundle of a repo. */
    @JsonTypeName("upload")
    record Upload(String path, String repo, String message, String label, UploadOutcome staged) implements RunSpec {
        public Upload(String path, String repo, String message, String label) {
            this(path, repo, message, label, null);
        }

        public Upload withStaged(UploadOutcome outcome) {
            return new Upload(path, repo, message, label, outcome);
        }
    }

    /**
     * {@code dataset push}: a dataset folder, its config file and/or flags, the version's message and
     * label. A staged push carries the config file's text in {@code configText} (the server cannot read
     * the client's file).
     */
    @JsonTypeName("push")
    record Push(String path, String configFile, ConfigFlags flags, String message, String label, UploadOutcome staged,
            String configText) implements RunSpec {
        public Push(String path, String configFile, ConfigFlags flags, String message, String label) {
            this(path, configFile, flags, message, label, null, null);
        }

        public Push withStaged(UploadOutcome outcome, String config) {
            return new Push(path, configFile, flags, message, label, outcome, config);
        }
    }
}
