package dev.ferry.core.api;

import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.transfer.UploadOutcome;
import java.time.Duration;
import java.util.List;

/** The bundle an upload produced ({@code created}) or found identical, and what it cost. */
public record UploadResult(Bundle bundle, boolean created, UploadOutcome outcome, List<LabelMove> labelMoves,
        Duration elapsed) {}
