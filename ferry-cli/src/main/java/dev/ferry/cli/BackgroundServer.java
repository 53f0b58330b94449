package dev.ferry.cli;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryHome;
import dev.ferry.server.Daemon;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/**
 * The entry point of the background server a CLI starts: what {@code ferry serve --daemon} does, from
 * the environment alone. Without the CLI's command model to build for two fixed words, the server is
 * ready ~0.15 s sooner, and that wait is part of the first command after an idle stop.
 */
final class BackgroundServer {
    private BackgroundServer() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        PrintWriter log = new PrintWriter(System.out, true);
        try {
            Duration idle = Daemon.parseIdle(env.get(Daemon.IDLE_ENV));
            Daemon server = new Daemon(FerryHome.resolve(env), new Daemon.Options("127.0.0.1", Daemon.DEFAULT_PORT, idle,
                    env.get("FERRY_TOKEN"), new CommandsForClients()), log);
            server.start();
            server.awaitStop();
        } catch (FerryException e) {
            // the log is where the CLI that started this server sends the user
            log.println("error: " + e.getMessage() + (e.hint() == null ? "" : " — " + e.hint()));
            System.exit(e.code().exitCode());
        }
    }
}
