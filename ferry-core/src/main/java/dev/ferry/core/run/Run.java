package dev.ferry.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A run as its events describe it: everything but the id, the idempotency key and the spec is folded
 * from the event log ({@link #fold}), so that every client derives the same state from the same events.
 */
public record Run(
        String id,
        String kind,
        String idempotencyKey,
        RunSpec spec,
        Instant createdAt,
        RunState state,
        String target,
        Instant updatedAt,
        long lastSeq,
        JsonNode result,
        RunEvent.Failed failure) {

    public boolean terminal() {
        return state.terminal();
    }

    /** This run after one more event. */
    public Run with(LoggedEvent e) {
        RunEvent event = e.event();
        RunState next = event.movesTo() != null ? event.movesTo() : state;
        String nextTarget = event instanceof RunEvent.Planned p ? p.target() : target;
        JsonNode nextResult = switch (event) {
            case RunEvent.Completed c -> c.result();
            case RunEvent.Delegated d -> d.result();
            case RunEvent.Failed f -> f.result();
            default -> result;
        };
        RunEvent.Failed nextFailure = event instanceof RunEvent.Failed f ? f : failure;
        return new Run(id, kind, idempotencyKey, spec, createdAt, next, nextTarget, e.at(), Math.max(lastSeq, e.seq()),
                nextResult, nextFailure);
    }

    /** The run after these events (in order); progress and log events change only the last sequence number. */
    public static Run fold(String id, String idempotencyKey, RunSpec spec, Instant createdAt, List<LoggedEvent> events) {
        RunState state = RunState.RECEIVED;
        String target = null;
        Instant updated = createdAt;
        long last = 0;
        JsonNode result = null;
        RunEvent.Failed failure = null;
        for (LoggedEvent e : events) {
            last = Math.max(last, e.seq());
            updated = e.at();
            RunEvent event = e.event();
            if (event.movesTo() != null) {
                state = event.movesTo();
            }
            switch (event) {
                case RunEvent.Planned p -> target = p.target();
                case RunEvent.Completed c -> result = c.result();
                case RunEvent.Delegated d -> result = d.result();
                case RunEvent.Failed f -> {
                    failure = f;
                    result = f.result();
                }
                default -> { }
            }
        }
        return new Run(id, spec.kind(), idempotencyKey, spec, createdAt, state, target, updated, last, result, failure);
    }
}
