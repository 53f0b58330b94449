package dev.ferry.cli;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryHome;
import dev.ferry.server.Daemon;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/**
 * The entry point of the background server a CLI starts: {@code ferry serve} with the defaults and
 * FERRY_SERVER_IDLE, from the environment alone, without building the CLI's command model for it
 * (the catalog then opens ~0.1 s after the JVM starts instead of ~0.3 s; measured with
 * {@code -Xlog:class+load}).
 */
final class BackgroundServer {
    private BackgroundServer() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        PrintWriter log = new PrintWriter(System.out, true);
        try {
            serve(FerryHome.resolve(env), "127.0.0.1", Daemon.DEFAULT_PORT, Daemon.parseIdle(env.get(Daemon.IDLE_ENV)),
                    env.get("FERRY_TOKEN"), log);
        } catch (FerryException e) {
            // the log is where the CLI that started this server sends the user
            log.println("error: " + e.getMessage() + (e.hint() == null ? "" : " — " + e.hint()));
            LocalServer.recordStartFailure(FerryHome.resolve(env), e);
            System.exit(e.code().exitCode());
        }
    }

    /** Runs a server of {@code home} until it stops (idle, shutdown request, signal); also {@code ferry serve}. */
    static void serve(FerryHome home, String host, int port, Duration idle, String token, PrintWriter log)
            throws InterruptedException {
        Daemon server = new Daemon(home, new Daemon.Options(host, port, idle, token, new CommandsForClients()), log);
        server.start();
        server.awaitStop();
    }
}
