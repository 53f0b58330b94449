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
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        try (CliContext ctx = new CliContext(command.env(), out, err, command.interactive(), stdout)) {
            ctx.runFor(Path.of(command.cwd()), command.columns(), ferry, frames::onInterrupt);
            ctx.progressStream = new PrintStream(stderr, true, StandardCharsets.UTF_8);
            return Ferry.commandLine(ctx, args).execute(args);
        }
    }

    /** The same rule the client applies before it sends: a command that must run in its own process is refused. */
    @Override
    public String refusal(Wire.Command command) {
        return ThinClient.relayable(command.args(), command.env()) ? null
                : "'" + String.join(" ", command.args()) + "' runs in the CLI's own process, not in the server";
    }
}
