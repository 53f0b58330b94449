package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import dev.ferry.server.Daemon;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code ferry} in-process against one FERRY_HOME and captures what it printed. A server the
 * command needs starts in this JVM too: the CLI finds it through server.json as it finds a
 * background one, without a process start per test. {@code DaemonTest} covers the real background start.
 */
final class CliRun {
    private final Map<String, String> env = new HashMap<>();
    private final List<Daemon> started = new java.util.ArrayList<>();
    /**
     * Starts a home's server in this JVM, as the background process would (server.json, lock, token,
     * command port), and remembers it so that {@link #stopServers} can stop it.
     */
    private LocalServer.Starter starter = (home, log, environment) -> {
        Daemon daemon = new Daemon(home, new Daemon.Options("127.0.0.1", 0, Duration.ZERO, null, new CommandsForClients()),
                new PrintWriter(Writer.nullWriter()));
        daemon.start();
        started.add(daemon);
        return ProcessHandle.current();
    };

    CliRun(Path home) {
        env.put("FERRY_HOME", home.toString());
    }

    /** A runner for {@code home} whose server runs (started by this first store command) with the repo "demo". */
    static CliRun withDemoRepo(dev.ferry.core.home.FerryHome home) {
        CliRun ferry = new CliRun(home.root());
        Result created = ferry.run("repo", "create", "--repo", "demo", "--description", "first");
        org.assertj.core.api.Assertions.assertThat(created.exit()).as(created.toString()).isZero();
        return ferry;
    }

    /** Starts missing servers as real background processes (DaemonTest). */
    CliRun withBackgroundServer() {
        starter = LocalServer.BACKGROUND_PROCESS;
        return this;
    }

    /** Stops the servers this runner started in this JVM ({@code server stop} would wait for this JVM to exit). */
    void stopServers() {
        started.forEach(Daemon::stop);
        started.clear();
    }

    CliRun env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** A step of the jar's entry point that writes to stdout and stderr and may leave the command to the full CLI. */
    interface EntryStep {
        java.util.OptionalInt run(java.io.OutputStream out, java.io.OutputStream err);
    }

    /**
     * What an entry-point step answered; empty when it left the command to the full CLI, which it
     * must do before writing anything.
     */
    static java.util.Optional<Result> answered(EntryStep step) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.util.OptionalInt exit = step.run(out, err);
        if (exit.isEmpty()) {
            org.assertj.core.api.Assertions.assertThat(out.size() + err.size())
                    .as("nothing written when the full CLI takes over").isZero();
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Result(exit.getAsInt(), out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8)));
    }

    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return CliContext.mapper().readTree(out);
            } catch (Exception e) {
                throw new AssertionError("stdout is not one JSON document:\n" + out, e);
            }
        }

        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        String lastLine() {
            List<String> lines = outLines();
            return lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * Runs {@code ferry} as the jar's entry point does: handed to the home's running server over its
     * command port, from the directory {@code cwd}. Empty if the command would run in its own process.
     */
    java.util.Optional<Result> relay(Path cwd, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.util.OptionalInt exit = ThinClient.relay(args, env, cwd, out, err, false);
        if (exit.isEmpty()) {
            assertNothingWritten(out, err);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Result(exit.getAsInt(), out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static void assertNothingWritten(java.io.ByteArrayOutputStream out, java.io.ByteArrayOutputStream err) {
        if (out.size() > 0 || err.size() > 0) {
            throw new AssertionError("a command that was not relayed wrote output: " + out + err);
        }
    }

    Result run(String... args) {
        return run(new StringWriter(), new StringWriter(), args);
    }

    /** {@link #run(String...)} writing to the given writers, which another thread may read as the command goes. */
    Result run(StringWriter out, StringWriter err, String... args) {
        int exit = Ferry.run(env, new PrintWriter(out, true), new PrintWriter(err, true), false, starter, args);
        return new Result(exit, out.toString(), err.toString());
    }
}
