package dev.ferry.core.run;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a run's worker elsewhere (a Kubernetes Job running {@code ferry worker --run ID}) tells the
 * server its run is at: the calls of a {@link RunContext}, sent over the API ({@code POST
 * /runs/{id}/worker}), so that the one Orchestrator writes the same events as for work done on its own
 * threads. JSON with a {@code type} field.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(WorkerReport.Enter.class),
    @JsonSubTypes.Type(WorkerReport.Claim.class),
    @JsonSubTypes.Type(WorkerReport.Progress.class),
    @JsonSubTypes.Type(WorkerReport.Log.class),
    @JsonSubTypes.Type(WorkerReport.Done.class),
    @JsonSubTypes.Type(WorkerReport.Failed.class)
})
public sealed interface WorkerReport {
    /** {@link RunContext#enter}. */
    @JsonTypeName("enter")
    record Enter(RunState state, String message) implements WorkerReport {}

    /** {@link RunContext#claim}: answered once the run has its turn on the target. */
    @JsonTypeName("claim")
    record Claim(String target, String detail) implements WorkerReport {}

    /** The counters of the current phase, as they stand (not increments). */
    @JsonTypeName("progress")
    record Progress(long filesDone, long filesTotal, long bytesDone, long bytesTotal, long recordsDone, long recordsTotal)
            implements WorkerReport {}

    @JsonTypeName("log")
    record Log(String level, String message) implements WorkerReport {}

    /** The work ended well: its result, and why it delegated (identical content) or null. */
    @JsonTypeName("done")
    record Done(JsonNode result, String delegatedBecause) implements WorkerReport {}

    /** The work failed, as a FerryException would say it ({@code code} an ErrorCode name). */
    @JsonTypeName("failed")
    record Failed(String code, String message, String hint) implements WorkerReport {}
}
