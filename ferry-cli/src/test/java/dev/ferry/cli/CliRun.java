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
    /** Starts a home's server in this JVM, as the background process would (server.json, lock, token). */
    static final LocalServer.Starter IN_PROCESS = (home, log, env) -> {
        new Daemon(home, new Daemon.Options("127.0.0.1", 0, Duration.ZERO, null),
                new PrintWriter(Writer.nullWriter())).start();
        return ProcessHandle.current();
    };
    private final Map<String, String> env = new HashMap<>();
    private LocalServer.Starter starter = IN_PROCESS;

    CliRun(Path home) {
        env.put("FERRY_HOME", home.toString());
    }

    /** Starts missing servers as real background processes (DaemonTest). */
    CliRun withBackgroundServer() {
        starter = LocalServer.BACKGROUND_PROCESS;
        return this;
    }

    CliRun env(String key, String value) {
        env.put(key, value);
        return this;
    }

    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return CliContext.JSON.readTree(out);
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

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Ferry.run(env, new PrintWriter(out), new PrintWriter(err), false, starter, args);
        return new Result(exit, out.toString(), err.toString());
    }
}
