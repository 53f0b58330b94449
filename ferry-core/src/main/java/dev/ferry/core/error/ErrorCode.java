package dev.ferry.core.error;

/**
 * The one error vocabulary of Ferry. Each code maps once to a process exit code (frozen once
 * released, same meaning in every command) and to an HTTP status for the server API.
 */
public enum ErrorCode {
    /** Bad flags, bad names, an empty folder, a malformed manifest path. */
    INVALID_ARGUMENT(2, 400),
    /** A repo, bundle, label or file that does not exist. */
    NOT_FOUND(2, 404),
    /** A path that is missing, unreadable or not a directory on this machine. */
    LOCAL_PATH(3, 400),
    /** The destination of a download already holds files (use --force). */
    DESTINATION_NOT_EMPTY(3, 409),
    /** Something about this machine prevents the work: no JDK, home not writable, store locked. */
    LOCAL_ENVIRONMENT(3, 500),
    /** A server or cluster could not be reached. */
    UNREACHABLE(4, 503),
    /** Missing or wrong credentials. */
    UNAUTHORIZED(5, 401),
    /** Valid credentials that do not allow this: a table outside a token's scope, a write with a read-only token. */
    FORBIDDEN(5, 403),
    /** A repo that already exists, a label compare-and-set that lost, a busy store. */
    CONFLICT(6, 409),
    /** A source file changed or vanished while it was being read. */
    SOURCE_CHANGED(7, 409),
    /** Writing to the store failed (disk full, I/O error); nothing was committed. */
    STORAGE_FAILED(7, 507),
    /** The server understood the request and refused it. */
    REJECTED(8, 422),
    /** The request body is larger than its route takes; refused before it was read. */
    TOO_LARGE(8, 413),
    /** A run failed, or completed with failed records. */
    RUN_FAILED(9, 500),
    /** Stored bytes do not match their digest, or a bundle points at data that is gone. */
    DATA_CORRUPT(1, 500),
    /** A bug or an unexpected failure. */
    INTERNAL(1, 500),
    /** The user interrupted the command (Ctrl-C). */
    INTERRUPTED(130, 499),
    /**
     * Whoever read the command's output went away before it ended ({@code ferry ... | head}): the
     * exit status of a pipe's writer that SIGPIPE ended, which Java code never is.
     */
    OUTPUT_CLOSED(141, 499);

    private final int exitCode;
    private final int httpStatus;

    ErrorCode(int exitCode, int httpStatus) {
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
