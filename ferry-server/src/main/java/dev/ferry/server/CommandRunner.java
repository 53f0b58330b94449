package dev.ferry.server;

import dev.ferry.core.api.CommandFrames;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.api.Wire;

/**
 * Runs one CLI invocation inside the server for a thin client on the same machine (through the
 * command port, {@link CommandSocket}), over the server's own store, so that a warm process does the
 * work and the client only starts, relays and exits. The CLI module implements it; the server only carries the bytes.
 */
@FunctionalInterface
public interface CommandRunner {
    /** Runs {@code command}, writing its output to {@code frames}; returns the exit code. */
    int run(LocalFerry ferry, Wire.Command command, CommandFrames.Writer frames);

    /**
     * Why the server must not run {@code command} (the client then runs it itself), or null. Asked
     * before anything is written.
     */
    default String refusal(Wire.Command command) {
        return null;
    }
}
