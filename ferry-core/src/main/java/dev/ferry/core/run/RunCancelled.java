package dev.ferry.core.run;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

/** Thrown at a safe point of a run that was asked to stop; the run ends {@code cancelled}. */
public final class RunCancelled extends FerryException {
    public RunCancelled(String runId) {
        super(ErrorCode.INTERRUPTED, "run " + runId + " was cancelled", null);
    }
}
