package dev.ferry.core.error;

/**
 * An expected failure with a code, a one-line message that names the offending value, and a hint
 * that says what to do. The CLI prints {@code message} and {@code hint}; never a stack trace unless
 * asked to.
 */
public class FerryException extends RuntimeException {
    private final ErrorCode code;
    private final String hint;

    public FerryException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public FerryException(ErrorCode code, String message, String hint) {
        this(code, message, hint, null);
    }

    public FerryException(ErrorCode code, String message, String hint, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.hint = hint;
    }

    public ErrorCode code() {
        return code;
    }

    /** What the user can do about it, or null. */
    public String hint() {
        return hint;
    }

    public static FerryException notFound(String what, String hint) {
        return new FerryException(ErrorCode.NOT_FOUND, what, hint);
    }

    public static FerryException invalid(String what, String hint) {
        return new FerryException(ErrorCode.INVALID_ARGUMENT, what, hint);
    }
}
