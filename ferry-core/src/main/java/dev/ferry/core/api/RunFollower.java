package dev.ferry.core.api;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Json;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunEvent;
import dev.ferry.core.run.RunState;
import dev.ferry.core.run.Submission;
import dev.ferry.core.transfer.TransferListener;

/**
 * Follows a run to its end for callers that want a plain result: progress events become listener
 * calls, the result becomes the caller's record, a failure becomes the FerryException it stood for.
 * The same code serves every FerryApi implementation, so they behave alike.
 */
final class RunFollower {
    private final TransferListener listener;
    private RunState phase;
    private long files;
    private long bytesTotal;
    private long bytesDone;

    private RunFollower(TransferListener listener) {
        this.listener = listener;
    }

    static <T> T follow(FerryApi api, Submission submission, TransferListener listener, Class<T> resultType) {
        RunFollower follower = new RunFollower(listener);
        String id = submission.run().id();
        try {
            api.watchRun(id, 0, e -> {
                follower.accept(e);
                return true;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERRUPTED, "stopped following run " + id + "; it keeps going",
                    "see it with 'ferry runs watch " + id + "'");
        }
        return resultOf(api.getRun(id), resultType);
    }

    static <T> T resultOf(Run run, Class<T> resultType) {
        return switch (run.state()) {
            case COMPLETED, DELEGATED -> Json.MAPPER.convertValue(run.result(), resultType);
            case FAILED -> throw failureOf(run.failure());
            case CANCELLED -> throw new FerryException(ErrorCode.INTERRUPTED, "run " + run.id() + " was cancelled",
                    "nothing of it was committed; submit it again");
            default -> throw new FerryException(ErrorCode.INTERNAL, "run " + run.id() + " has not ended ("
                    + run.state().id() + ")", "see 'ferry runs show " + run.id() + "'");
        };
    }

    static FerryException failureOf(RunEvent.Failed failed) {
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(failed.code());
        } catch (IllegalArgumentException e) {
            code = ErrorCode.RUN_FAILED;
        }
        return new FerryException(code, failed.message(), failed.hint());
    }

    private void accept(LoggedEvent logged) {
        if (logged.event() instanceof RunEvent.Progress p) {
            if (p.phase() != phase) {
                phase = p.phase();
                files = 0;
                bytesTotal = 0;
                bytesDone = 0;
            }
            if (p.bytesTotal() > bytesTotal) {
                listener.found(p.bytesTotal() - bytesTotal);
                bytesTotal = p.bytesTotal();
            }
            if (p.bytesDone() > bytesDone) {
                listener.progressed(p.bytesDone() - bytesDone);
                bytesDone = p.bytesDone();
            }
            for (; files < p.filesDone(); files++) {
                listener.fileDone();
            }
        }
    }
}
