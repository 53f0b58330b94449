package dev.ferry.core.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a run's work ended when it did not throw: its result, and whether it was new work or found the
 * work already done ({@code delegatedBecause} then says why, and the run ends {@code delegated}).
 */
public record RunOutcome(JsonNode result, String delegatedBecause) {
    public static RunOutcome completed(JsonNode result) {
        return new RunOutcome(result, null);
    }

    public static RunOutcome delegated(JsonNode result, String because) {
        return new RunOutcome(result, because);
    }
}
