package dev.ferry.core.ingest;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

/** A push stopped by the local checks before anything moved; carries what they found. */
public final class PreflightFailed extends FerryException {
    private final transient Preflight.Result result;

    public PreflightFailed(Preflight.Result result) {
        super(ErrorCode.INVALID_ARGUMENT, (result.config().valid()
                        ? "the dataset would not ingest cleanly" : "the ingest config is not valid")
                        + firstProblem(result) + "; nothing was uploaded",
                "fix what is listed, then push again (ferry ingest validate checks without pushing)");
        this.result = result;
    }

    /** The first problem, so that the one-line message (all a remote client may see) says what is wrong. */
    private static String firstProblem(Preflight.Result result) {
        if (!result.config().issues().isEmpty()) {
            return " (" + result.config().issues().get(0).format().trim() + ")";
        }
        if (result.dataset() != null) {
            return result.dataset().report().findings().stream()
                    .filter(f -> f.severity() == dev.ferry.core.ingest.dataset.DatasetReport.Severity.ERROR)
                    .findFirst().map(f -> " (" + f.format() + ")").orElse("");
        }
        return "";
    }

    public Preflight.Result result() {
        return result;
    }
}
