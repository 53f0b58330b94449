package dev.ferry.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Who runs a run: recorded with it in the catalog, so that a process that starts settles only the
 * runs nobody can still be running. Several processes share one catalog — the local server and a
 * CLI with {@code FERRY_IN_PROCESS=1}, or the servers of several machines on one PostgreSQL — and
 * settling another process's live run would fail it under its feet.
 *
 * <p>Two kinds: the server of a home on a host ({@code server@HOST:HOME}: one at a time, by the home's
 * server lock, so a starting server's predecessor with that name is certainly gone), and any other
 * process ({@code process@HOST:PID:START}: gone when no process of that id and start time exists on
 * this host). What runs on another host is left to that host.
 */
public record RunOwner(String id, boolean server) {
    private static final String SERVER = "server@";
    private static final String PROCESS = "process@";
    private static final String HOST = host();

    /** The server of this home, on this host. */
    public static RunOwner server(Path home) {
        return new RunOwner(SERVER + HOST + ":" + home.toAbsolutePath().normalize(), true);
    }

    /** This process (a CLI that runs the store itself, a test). */
    public static RunOwner thisProcess() {
        ProcessHandle self = ProcessHandle.current();
        return new RunOwner(PROCESS + HOST + ":" + self.pid() + ":" + startMillis(self).orElse(0L), false);
    }

    /**
     * Whether a run recorded with {@code other} as its owner may be settled by this owner: it is a
     * server's own predecessor's, a finished process's of this host, or (for a server) from before
     * owners were recorded.
     */
    public boolean maySettle(String other) {
        if (other == null) {
            return server;
        }
        if (other.startsWith(SERVER)) {
            return server && other.equals(id);
        }
        String localProcess = PROCESS + HOST + ":";
        if (!other.startsWith(localProcess)) {
            return false; // another host's: it settles its own
        }
        String[] pidAndStart = other.substring(localProcess.length()).split(":");
        try {
            long pid = Long.parseLong(pidAndStart[0]);
            long start = Long.parseLong(pidAndStart[1]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            return process.isEmpty() || !process.get().isAlive()
                    || startMillis(process.get()).map(s -> s != start).orElse(false);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** What ran a run with this owner, in words: "the server", "the process that ran it (pid N)". */
    public static String describe(String owner) {
        if (owner == null || owner.startsWith(SERVER)) {
            return "the server";
        }
        String[] parts = owner.split(":");
        return parts.length >= 3 ? "the process that ran it (pid " + parts[parts.length - 2] + ")" : "the process that ran it";
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    /** This machine's name, without a DNS lookup (which can take seconds where DNS is broken). */
    private static String host() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException notLinux) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env != null && !env.isBlank() ? env.trim() : "localhost";
    }
}
