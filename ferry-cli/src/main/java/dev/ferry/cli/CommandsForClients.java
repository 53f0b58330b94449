package dev.ferry.cli;

import dev.ferry.core.api.CommandFrames;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.api.Wire;
import dev.ferry.server.CommandRunner;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's side of {@link ThinClient}: runs the client's invocation with the very same command
 * classes as the client would, over the server's own store, in the client's directory, and sends what
 * it prints back as it prints it.
 */
final class CommandsForClients implements CommandRunner {
    @Override
    public int run(LocalFerry ferry, Wire.Command command, CommandFrames.Writer frames) {
        String[] args = command.args().toArray(String[]::new);
        OutputStream stdout = frames.stream(CommandFrames.STDOUT);
        OutputStream stderr = frames.stream(CommandFrames.STDERR);
        if (!ThinClient.relayable(command.args(), withoutNulls(command.env()))) {
            new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true).println(
                    "error: '" + String.join(" ", args) + "' runs in the CLI's own process, not in the server");
            return dev.ferry.core.error.ErrorCode.REJECTED.exitCode();
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        try (CliContext ctx = new CliContext(withoutNulls(command.env()), out, err, command.interactive(), stdout)) {
            ctx.runFor(Path.of(command.cwd()), command.columns(), ferry, frames::onInterrupt);
            ctx.progressStream = new PrintStream(stderr, true, StandardCharsets.UTF_8);
            return Ferry.commandLine(ctx, args).execute(args);
        }
    }

    private static Map<String, String> withoutNulls(Map<String, String> env) {
        Map<String, String> copy = new HashMap<>();
        env.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return Map.copyOf(copy);
    }
}
