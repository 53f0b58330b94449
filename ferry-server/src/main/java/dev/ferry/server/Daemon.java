package dev.ferry.server;

import dev.ferry.core.FerryVersion;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.home.ServerInfo;
import dev.ferry.core.model.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server of one FERRY_HOME as a long-lived process ({@code ferry serve}): one per home (a file
 * lock held for its whole life), found through {@code server.json}, stopped when idle, never while a
 * run is active.
 */
public final class Daemon {
    public static final String IDLE_ENV = "FERRY_SERVER_IDLE";
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(15);
    public static final int DEFAULT_PORT = 7433;

    /**
     * How the server listens and when it stops by itself ({@code idle} zero: never); {@code commands}
     * runs CLI invocations for thin clients (null: none).
     */
    public record Options(String host, int preferredPort, Duration idle, String token, CommandRunner commands) {
        public Options(String host, int preferredPort, Duration idle, String token) {
            this(host, preferredPort, idle, token, null);
        }
    }

    private final FerryHome home;
    private final Options options;
    private final PrintWriter log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private FileChannel lockChannel;
    private FileLock lock;
    private LocalFerry ferry;
    private FerryServer server;
    private CommandSocket commandSocket;
    private ServerInfo info;

    public Daemon(FerryHome home, Options options, PrintWriter log) {
        this.home = home;
        this.options = options;
        this.log = log;
    }

    /** Parses FERRY_SERVER_IDLE: seconds ({@code 900}) or a duration ({@code 90s}, {@code 15m}, {@code 1h}). */
    public static Duration parseIdle(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_IDLE;
        }
        try {
            return Durations.parse(text);
        } catch (FerryException e) {
            throw FerryException.invalid("invalid " + IDLE_ENV + " '" + text + "'",
                    "use seconds (900) or a duration (90s, 15m, 1h); 0 never stops");
        }
    }

    /** Takes the home's server lock, opens the store, listens, and writes server.json. */
    public ServerInfo start() {
        lockHome();
        try {
            ferry = LocalFerry.open(home);
            for (var provider : java.util.ServiceLoader.load(dev.ferry.core.run.RunExecutorProvider.class)) {
                var executor = provider.create(System.getenv());
                if (executor.isPresent()) {
                    ferry.runOn(executor.get()); // a cluster's server: runs as Jobs
                    break;
                }
            }
            int settled = ferry.startRunsAsServer();
            if (settled > 0) {
                log("settled " + settled + " runs that a stopped server left unfinished (now failed)");
            }
            String token = options.token() != null ? options.token() : FerryServer.newToken();
            boolean loopback = isLoopback(options.host());
            server = listen(token, loopback);
            server.onShutdownRequest(this::stop);
            openCommandSocket(loopback, token);
            info = ServerInfo.ofThisBuild(ProcessHandle.current().pid(), options.host(), server.port(), token,
                    Instant.now());
            info.write(home.serverFile());
            log("ferry server " + FerryVersion.current() + " listening on " + info.url() + " (pid " + info.pid()
                    + ", idle stop " + (options.idle().isZero() ? "never" : options.idle().toSeconds() + " s") + ")");
            startIdleWatch();
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "ferry-server-shutdown"));
            return info;
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Thin clients of this machine hand their commands to a local server only (they name its files). */
    private void openCommandSocket(boolean loopback, String token) {
        if (options.commands() == null || !loopback) {
            return;
        }
        try {
            commandSocket = CommandSocket.open(home.commandEndpoint(), token, ferry, options.commands(), this::log);
        } catch (IOException | RuntimeException e) {
            log("no command port (" + e.getMessage() + "); CLI commands run in their own processes");
        }
    }

    private FerryServer listen(String token, boolean loopback) {
        FerryServer first = new FerryServer(ferry, token, loopback);
        try {
            first.start(options.host(), options.preferredPort());
            return first;
        } catch (RuntimeException busy) {
            if (options.preferredPort() == 0) {
                throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot listen on " + options.host() + ": "
                        + busy.getMessage(), "check the host address", busy);
            }
            // the preferred port is taken (another home's server, another program): any free one will do
            log("port " + options.preferredPort() + " is busy; using a free one");
            try {
                first.close();
            } catch (RuntimeException ignored) {
                // it never started
            }
            FerryServer fallback = new FerryServer(ferry, token, loopback);
            fallback.start(options.host(), 0);
            return fallback;
        }
    }

    private void lockHome() {
        try {
            Files.createDirectories(home.root());
            lockChannel = FileChannel.open(home.serverLockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot lock " + home.serverLockFile() + ": "
                    + e.getMessage(), "check the permissions of FERRY_HOME (" + home.root() + ")", e);
        }
        if (lock == null) {
            closeQuietly();
            String who = ServerInfo.read(home.serverFile()).map(i -> " (pid " + i.pid() + ", " + i.url() + ")").orElse("");
            throw new FerryException(ErrorCode.CONFLICT, "a Ferry server already runs for " + home.root() + who,
                    "use it, or stop it with 'ferry server stop'");
        }
    }

    private void startIdleWatch() {
        if (options.idle().isZero()) {
            return;
        }
        long checkMillis = Math.max(200, Math.min(5_000, options.idle().toMillis() / 10));
        Thread.ofPlatform().daemon().name("ferry-idle-watch").start(() -> {
            while (!stopping.get()) {
                try {
                    Thread.sleep(checkMillis);
                } catch (InterruptedException e) {
                    return;
                }
                var orchestrator = ferry.orchestrator();
                long last = Math.max(server.lastRequestNanos(), orchestrator.lastActivityNanos());
                if (commandSocket != null) {
                    last = Math.max(last, commandSocket.lastActivityNanos());
                }
                if (orchestrator.activeRuns() == 0 && System.nanoTime() - last > options.idle().toNanos()) {
                    log("idle for " + options.idle().toSeconds() + " s with no active run: stopping");
                    stop();
                }
            }
        });
    }

    /** Blocks until the server stopped. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops listening, removes server.json, releases the home; safe to call more than once. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        try {
            // the reverse of start: no more relayed commands, then no more server.json
            if (commandSocket != null) {
                commandSocket.close();
            }
            if (info != null) {
                info.removeIfMine(home.serverFile());
            }
            if (server != null) {
                server.close();
            }
            if (ferry != null) {
                ferry.close();
            }
        } catch (RuntimeException e) {
            log("error while stopping: " + e);
        } finally {
            closeQuietly();
            log("stopped");
            stopped.countDown();
        }
    }

    private void closeQuietly() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // the process is ending; the OS releases the lock
        }
    }

    private void log(String line) {
        log.println(Instant.now() + " " + line);
        log.flush();
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }
}
