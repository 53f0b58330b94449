package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where this process's stdout or stderr goes, to tell why writing to it failed. Java does not give
 * the errno of a failed write, and its message is the C library's, possibly translated; but only a
 * pipe or a socket has a reader that can go away ({@code ferry ... | head}, exit 141 like a pipe's
 * writer), while a write to a file or device that fails is a real error (a full disk) that must not
 * look like a whole output.
 *
 * @param name what the descriptor points at ({@code /proc/self/fd/N}: a path, {@code pipe:[…]},
 *     {@code socket:[…]}), empty where the system does not say
 */
record OutputTarget(String name) {
    static final int STDOUT = 1;
    static final int STDERR = 2;

    static OutputTarget of(int fd) {
        try {
            return new OutputTarget(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException unknown) {
            return new OutputTarget("");
        }
    }

    /** A failed write here means its reader went away (assumed where the system does not say). */
    boolean readerCanGoAway() {
        return name.isEmpty() || name.startsWith("pipe:") || name.startsWith("socket:");
    }

    /**
     * The exit code of a command whose output could not all be written here: 141 and nothing said
     * for a reader that went away; otherwise an error line on {@code err} (when that still works) and
     * the local-environment code.
     */
    int failed(String why, OutputStream err) {
        if (readerCanGoAway()) {
            return ErrorCode.OUTPUT_CLOSED.exitCode();
        }
        String line = "error: cannot write the command's output to " + name + (why == null ? "" : ": " + why)
                + "\n  hint: check where the output goes (free space, permissions) and run the command again\n";
        try {
            err.write(line.getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException ignored) {
            // stderr fails too: the exit code is all that is left
        }
        return ErrorCode.LOCAL_ENVIRONMENT.exitCode();
    }
}
