package dev.ferry.cli;

import dev.ferry.core.error.FerryException;

/** The one line on stderr that every failure becomes: what went wrong, and what to do about it. */
final class ErrorLine {
    private ErrorLine() {}

    static String of(String message, String hint) {
        return "error: " + message + (hint == null ? "" : " — " + hint);
    }

    static String of(FerryException failure) {
        return of(failure.getMessage(), failure.hint());
    }
}
