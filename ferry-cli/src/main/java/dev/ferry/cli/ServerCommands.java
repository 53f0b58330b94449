package dev.ferry.cli;

import dev.ferry.client.HttpFerry;
import dev.ferry.core.api.Wire;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.ServerInfo;
import dev.ferry.server.Daemon;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", description = "Start, stop and inspect the local Ferry server of FERRY_HOME.",
        subcommands = {ServerCommands.Start.class, ServerCommands.Stop.class, ServerCommands.Status.class})
final class ServerCommands extends CommandGroup {

    @Command(name = "start", description = "Start the local server in the background (if it is not running).")
    static final class Start extends FerryCommand {
        Start(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            ServerInfo info = ctx.localServer().ensure();
            return Status.print(ctx, Optional.of(info));
        }
    }

    @Command(name = "stop", description = "Stop the local server; refused while runs are active unless --force.")
    static final class Stop extends FerryCommand {
        @Option(names = "--force", description = "Stop even with active runs (they end failed).")
        boolean force;

        Stop(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            boolean stopped = ctx.localServer().stop(force);
            if (ctx.json()) {
                ctx.printJson(Map.of("stopped", stopped));
            } else {
                ctx.note(stopped ? "Stopped the local server." : "No local server is running.");
            }
            return 0;
        }
    }

    @Command(name = "status", description = "Whether the local server runs, where, and how busy it is.")
    static final class Status extends FerryCommand {
        Status(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            return print(ctx, ctx.localServer().find());
        }

        static int print(CliContext ctx, Optional<ServerInfo> found) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("running", found.isPresent());
            doc.put("serverFile", ctx.home().serverFile().toString());
            found.ifPresent(info -> {
                try (HttpFerry client = new HttpFerry(info.url(), info.token())) {
                    Wire.Health health = client.health();
                    doc.put("url", info.url());
                    doc.put("pid", info.pid());
                    doc.put("version", health.version());
                    doc.put("activeRuns", health.activeRuns());
                    doc.put("executor", health.executor());
                    doc.put("startedAt", info.startedAt());
                    doc.put("log", ctx.home().serverLogFile().toString());
                }
            });
            if (ctx.json()) {
                ctx.printJson(doc);
            } else if (found.isEmpty()) {
                ctx.out.println("not running (any ferry command that needs it starts it)");
            } else {
                doc.forEach((k, v) -> ctx.out.println(String.format("%-11s %s", k, v)));
            }
            ctx.out.flush();
            return 0;
        }
    }

    @Command(name = "serve", description = {"Run the Ferry server in the foreground until stopped (Ctrl-C).",
        "Binds 127.0.0.1 unless --host says otherwise; the admin token is FERRY_TOKEN, else the first line",
        "of the file FERRY_TOKEN_FILE (a mounted secret), else a new random one; it is written with the",
        "port to $FERRY_HOME/server.json (mode 0600). The catalog and store come from FERRY_CATALOG and",
        "FERRY_STORE, else catalog.url and store.url of the config, else FERRY_HOME."})
    static final class Serve extends FerryCommand {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--port", defaultValue = "" + Daemon.DEFAULT_PORT,
                description = "Preferred port; a free one is used if it is taken (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--idle", paramLabel = "DURATION",
                description = "Stop after this long without requests or runs (90s, 15m; 0: never). Default: never"
                        + " (the background server the CLI starts: FERRY_SERVER_IDLE, 15m).")
        String idle;

        Serve(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() throws InterruptedException {
            BackgroundServer.serve(ctx.home(), host, port, idle != null ? Daemon.parseIdle(idle) : Duration.ZERO,
                    adminToken(ctx.env), ctx.err);
            return 0;
        }

        /** FERRY_TOKEN, else the first line of FERRY_TOKEN_FILE, else null (the server makes one). */
        static String adminToken(java.util.Map<String, String> env) {
            String token = env.get("FERRY_TOKEN");
            if (token != null && !token.isBlank()) {
                return token;
            }
            String file = env.get("FERRY_TOKEN_FILE");
            if (file == null || file.isBlank()) {
                return null;
            }
            try {
                String first = java.nio.file.Files.readAllLines(java.nio.file.Path.of(file)).stream().findFirst()
                        .orElse("").strip();
                if (first.isEmpty()) {
                    throw FerryException.invalid("FERRY_TOKEN_FILE " + file + " is empty",
                            "put the server's admin token on its first line");
                }
                return first;
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read FERRY_TOKEN_FILE " + file + ": " + e.getMessage(),
                        "check the path and that this user may read it");
            }
        }
    }
}
