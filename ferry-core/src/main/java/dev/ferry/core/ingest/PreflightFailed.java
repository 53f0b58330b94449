package dev.ferry.core.ingest;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

/** A push stopped by the local checks before anything moved; carries what they found. */
public final class PreflightFailed extends FerryException {
    private final transient Preflight.Result result;

    public PreflightFailed(Preflight.Result result) {
        super(ErrorCode.INVALID_ARGUMENT, result.config().valid()
                        ? "the dataset would not ingest cleanly; nothing was uploaded"
                        : "the ingest config is not valid; nothing was uploaded",
                "fix what is listed, then push again (ferry ingest validate checks without pushing)");
        this.result = result;
    }

    public Preflight.Result result() {
        return result;
    }
}
