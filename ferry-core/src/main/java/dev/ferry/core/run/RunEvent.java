package dev.ferry.core.run;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One step of a run, as the event log stores it and every client receives it (JSON with a
 * {@code type} field). Only the {@link Orchestrator} creates them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(RunEvent.Received.class),
    @JsonSubTypes.Type(RunEvent.StateChanged.class),
    @JsonSubTypes.Type(RunEvent.Planned.class),
    @JsonSubTypes.Type(RunEvent.Progress.class),
    @JsonSubTypes.Type(RunEvent.Log.class),
    @JsonSubTypes.Type(RunEvent.Completed.class),
    @JsonSubTypes.Type(RunEvent.Delegated.class),
    @JsonSubTypes.Type(RunEvent.Failed.class),
    @JsonSubTypes.Type(RunEvent.Cancelled.class)
})
public sealed interface RunEvent {

    /** The stable name of this event's kind, as in the {@code type} field. */
    default String type() {
        return getClass().getAnnotation(JsonTypeName.class).value();
    }

    /** The state this event moves the run into, or null when it does not move it. */
    default RunState movesTo() {
        return null;
    }

    /** The run was accepted: what was asked, as submitted. */
    @JsonTypeName("received")
    record Received(RunSpec spec) implements RunEvent {
        @Override
        public RunState movesTo() {
            return RunState.RECEIVED;
        }
    }

    @JsonTypeName("state")
    record StateChanged(RunState state, String message) implements RunEvent {
        @Override
        public RunState movesTo() {
            return state;
        }
    }

    /** Planning found what the run writes to (its table or repo) and what it will read. */
    @JsonTypeName("planned")
    record Planned(String target, String detail) implements RunEvent {}

    /** Counts so far and totals (0 when not known yet) of the current phase. */
    @JsonTypeName("progress")
    record Progress(RunState phase, long filesDone, long filesTotal, long bytesDone, long bytesTotal, long recordsDone,
            long recordsTotal) implements RunEvent {}

    @JsonTypeName("log")
    record Log(String level, String message) implements RunEvent {}

    /** The run did its work; {@code result} is what the run kind returns (a version, a bundle). */
    @JsonTypeName("completed")
    record Completed(JsonNode result) implements RunEvent {
        @Override
        public RunState movesTo() {
            return RunState.COMPLETED;
        }
    }

    /** The work was already done: the result names what exists (identical content, same version). */
    @JsonTypeName("delegated")
    record Delegated(String reason, JsonNode result) implements RunEvent {
        @Override
        public RunState movesTo() {
            return RunState.DELEGATED;
        }
    }

    /** The run failed: the error code (as in the error table), the message, what to do, the exit code. */
    @JsonTypeName("failed")
    record Failed(String code, String message, String hint, int exitCode, JsonNode result) implements RunEvent {
        @Override
        public RunState movesTo() {
            return RunState.FAILED;
        }
    }

    @JsonTypeName("cancelled")
    record Cancelled(String reason) implements RunEvent {
        @Override
        public RunState movesTo() {
            return RunState.CANCELLED;
        }
    }

}
