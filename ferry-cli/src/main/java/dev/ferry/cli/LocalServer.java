package dev.ferry.cli;

import dev.ferry.client.HttpFerry;
import dev.ferry.core.FerryVersion;
import dev.ferry.core.api.Wire;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryConfig;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.home.ServerInfo;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the local server of a FERRY_HOME through {@code server.json}, or starts one in the background
 * (the same Java, class path and JVM options as this process) and waits until it answers. Two CLIs
 * that start at once take turns on a start lock, so one server starts, not two.
 */
final class LocalServer {
    static final String START_TIMEOUT_ENV = "FERRY_SERVER_START_TIMEOUT";
    /** Set by the launcher in a relay's JVM: the class-data archive a server it starts should use instead. */
    static final String SERVER_ARCHIVE_PROPERTY = "ferry.server.archive";
    /**
     * Raised JIT thresholds pay off in a JVM that runs one command; a server runs for hours, where the
     * default ones compile its hot paths sooner.
     */
    static final String ONE_SHOT_JIT_OPTION = "-XX:CompileThresholdScaling=";

    /** How a server gets started: a background process normally; tests start one in their own JVM. */
    interface Starter {
        /** Starts the server of {@code home} (logging to {@code log}, with this environment) and returns its process. */
        ProcessHandle start(FerryHome home, Path log, Map<String, String> env);
    }

    /** Starts the server ({@link BackgroundServer}) as a background process of the same Java and class path. */
    static final Starter BACKGROUND_PROCESS = LocalServer::spawn;
    private static final Path SHELL = Path.of("/bin/sh");

    private final FerryHome home;
    private final Map<String, String> env;
    private final Consumer<String> note;
    private final Starter starter;

    LocalServer(FerryHome home, Map<String, String> env, Consumer<String> note, Starter starter) {
        this.home = home;
        this.env = env;
        this.note = note;
        this.starter = starter;
    }

    /** A running, answering server of this home, if there is one (stale server.json files are removed). */
    Optional<ServerInfo> find() {
        Optional<ServerInfo> info = ServerInfo.read(home.serverFile());
        if (info.isEmpty()) {
            return Optional.empty();
        }
        if (!info.get().processAlive()) {
            removeStale(info.get());
            return Optional.empty();
        }
        try (HttpFerry probe = new HttpFerry(info.get().url(), info.get().token())) {
            probe.health();
            return info;
        } catch (FerryException e) {
            return Optional.empty(); // alive but not answering: starting, stopping, or a reused pid
        }
    }

    /**
     * A client of the running server (started first if needed). The common case — a live server of
     * this version — costs one health request on the connection the command's own calls then reuse.
     */
    HttpFerry connect() {
        Optional<ServerInfo> info = ServerInfo.read(home.serverFile());
        if (info.isPresent() && info.get().sameBuild() && info.get().processAlive()) {
            HttpFerry client = new HttpFerry(info.get().url(), info.get().token());
            try {
                client.health();
                return client;
            } catch (FerryException e) {
                client.close(); // not answering: the slow path below sorts it out
            }
        }
        ServerInfo running = ensure();
        return new HttpFerry(running.url(), running.token());
    }

    /** The running server, or a newly started one. A server of another version is replaced when idle. */
    ServerInfo ensure() {
        Optional<ServerInfo> running = find();
        if (running.isPresent() && !replaceOlder(running.get())) {
            return running.get();
        }
        try (StartLock held = StartLock.take(home.serverStartLockFile(), timeout())) {
            running = find(); // another CLI may have started it while this one waited
            if (running.isPresent()) {
                return running.get();
            }
            return start();
        }
    }

    /** True when the running server was of another version or build and was stopped (so start a new one). */
    private boolean replaceOlder(ServerInfo info) {
        if (info.sameBuild()) {
            return false;
        }
        String what = info.version().equals(FerryVersion.current()) ? "another build of " + info.version()
                : "version " + info.version();
        try (HttpFerry client = new HttpFerry(info.url(), info.token())) {
            Wire.Health health = client.health();
            if (health.activeRuns() > 0) {
                note.accept("note: the local server is " + what + " (this CLI is "
                        + FerryVersion.current() + "); it has active runs, so it is kept until they end");
                return false;
            }
            note.accept("Restarting the local server: it is " + what + ", this CLI is "
                    + FerryVersion.current());
            client.shutdown(false);
        } catch (FerryException e) {
            return false;
        }
        awaitExit(info, Duration.ofSeconds(15));
        return true;
    }

    private ServerInfo start() {
        // a broken config would stop the server as it starts, with the reason only in its log: say it here
        FerryConfig.load(home.configFile());
        Path log = home.serverLogFile();
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot create " + log.getParent() + ": "
                    + e.getMessage(), "check the permissions of FERRY_HOME (" + home.root() + ")", e);
        }
        try {
            Files.deleteIfExists(home.serverFailureFile());
        } catch (IOException e) {
            // a stale reason is only shown if the new server also fails before writing its own
        }
        ProcessHandle process = starter.start(home, log, env);
        Duration timeout = timeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ServerInfo> info = ServerInfo.read(home.serverFile()).filter(i -> i.pid() == process.pid());
            if (info.isPresent() && find().isPresent()) {
                return info.get();
            }
            if (!process.isAlive()) {
                FerryException why = startFailure(home);
                if (why != null) {
                    throw why;
                }
                throw new FerryException(ErrorCode.UNREACHABLE, "the local Ferry server stopped as it started",
                        "see its log: " + log);
            }
            sleep(50);
        }
        process.destroy();
        throw new FerryException(ErrorCode.UNREACHABLE, "the local Ferry server did not answer within "
                + timeout.toSeconds() + " s", "see its log: " + log + " (" + START_TIMEOUT_ENV + " sets the wait)");
    }

    /** Written by a background server that cannot start (a damaged catalog, a busy port). */
    static void recordStartFailure(FerryHome home, FerryException e) {
        try {
            Files.createDirectories(home.serverFailureFile().getParent());
            Files.writeString(home.serverFailureFile(), e.code().name() + "\n" + e.getMessage().replace('\n', ' ') + "\n"
                    + (e.hint() == null ? "" : e.hint().replace('\n', ' ')) + "\n");
        } catch (IOException ignored) {
            // the log has the same line
        }
    }

    /** The reason the background server gave for stopping as it started, as its own error; null if none. */
    static FerryException startFailure(FerryHome home) {
        try {
            List<String> lines = Files.readAllLines(home.serverFailureFile());
            if (lines.size() < 2) {
                return null;
            }
            ErrorCode code = ErrorCode.valueOf(lines.get(0));
            String hint = lines.size() > 2 && !lines.get(2).isBlank() ? lines.get(2) : "see its log: " + home.serverLogFile();
            return new FerryException(code, lines.get(1), hint);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * For the thin client: starts this home's server in the background when there is none (no
     * server.json at all) and no other command is starting one, and waits until it has written
     * server.json and opened its command port. False whenever anything is unusual (a server.json of
     * another process, another build, settings that stop the server as it starts): the full CLI then
     * sorts it out and says what is wrong.
     */
    static boolean startForRelay(FerryHome home, Map<String, String> env) {
        if (Files.exists(home.serverFile())) {
            return false;
        }
        Duration limit = Duration.ofSeconds(30);
        try (StartLock held = StartLock.take(home.serverStartLockFile(), limit)) {
            if (Files.exists(home.serverFile())) {
                return Files.exists(home.commandEndpoint()); // another command started it while this one waited
            }
            Path log = home.serverLogFile();
            Files.createDirectories(log.getParent());
            ProcessHandle process = spawn(home, log, env);
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                // the command port opens first; server.json last, once the server is ready for everyone
                if (Files.exists(home.serverFile()) && Files.exists(home.commandEndpoint())) {
                    return true;
                }
                sleep(10);
            }
            return false;
        } catch (FerryException | IOException e) {
            return false;
        }
    }

    /**
     * Starts the server as a process of its own. Through a shell that puts it in the background and
     * exits at once, where there is one: a child of this JVM would keep a thread of it waiting in the
     * kernel for the child's end, and a JVM waits 300 ms for such threads before it exits (every
     * command that started the server took 0.3 s longer, measured).
     */
    private static ProcessHandle spawn(FerryHome home, Path log, Map<String, String> env) {
        boolean shell = Files.isExecutable(SHELL);
        List<String> command = new ArrayList<>();
        if (shell) {
            command.addAll(List.of(SHELL.toString(), "-c", "\"$@\" </dev/null >>\"$0\" 2>&1 & echo $!", log.toString()));
        }
        command.addAll(command());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.environment().remove("FERRY_TOKEN"); // the local server makes its own
        builder.environment().put(FerryHome.ENV, home.root().toString());
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (!shell) {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process started = builder.start();
            if (!shell) {
                return started.toHandle();
            }
            String pid = new String(started.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
            started.waitFor();
            return ProcessHandle.of(Long.parseLong(pid)).orElseThrow(() -> new IOException("the server process " + pid
                    + " ended at once"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while starting the local Ferry server", null, e);
        } catch (IOException | NumberFormatException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot start the local Ferry server: " + e.getMessage(),
                    "check that Java can run; its log is " + log, e);
        }
    }

    /**
     * Stops an idle local server so that the next command starts one with the new settings (after
     * {@code config set}); a server with active runs keeps running, with a note.
     */
    void restartForNewSettings() {
        Optional<ServerInfo> info = find();
        if (info.isEmpty()) {
            return;
        }
        try {
            stop(false);
            note.accept("Stopped the local server; the next command starts it with the new settings.");
        } catch (FerryException e) {
            note.accept("note: the local server has active runs and keeps its old settings until 'ferry server stop'"
                    + " after they end");
        }
    }

    /** The same JVM, class path and options as this process, running {@link BackgroundServer}. */
    private static List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String serverArchive = System.getProperty(SERVER_ARCHIVE_PROPERTY);
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (serverArchive != null && (arg.startsWith("-XX:SharedArchiveFile=") || arg.startsWith("-XX:AOTCache=")
                    || arg.equals("-Xlog:aot=off") || arg.equals("-XX:TieredStopAtLevel=1")
                    || arg.equals("-XX:-UsePerfData") || arg.startsWith("-D" + SERVER_ARCHIVE_PROPERTY + "="))) {
                continue; // the relay's start-up settings: a server gets the whole archive and the optimising compiler
            }
            // never for a server: archive dumping (the launcher's training run) and the JIT setting of a
            // JVM that runs one command (see ./ferry)
            if (!arg.startsWith("-XX:ArchiveClassesAtExit") && !arg.startsWith("-XX:AOTCacheOutput")
                    && !arg.startsWith("-XX:AOTMode") && !arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")
                    && !arg.startsWith(ONE_SHOT_JIT_OPTION)) {
                cmd.add(arg);
            }
        }
        if (serverArchive != null) {
            cmd.add("--enable-native-access=ALL-UNNAMED"); // SQLite's native library
            cmd.add("-XX:SharedArchiveFile=" + serverArchive);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BackgroundServer.class.getName());
        return cmd;
    }

    /** Stops the server of this home, waiting until its process is gone; false if none ran. */
    boolean stop(boolean force) {
        Optional<ServerInfo> info = find();
        if (info.isEmpty()) {
            return false;
        }
        try (HttpFerry client = new HttpFerry(info.get().url(), info.get().token())) {
            client.shutdown(force);
        }
        awaitExit(info.get(), Duration.ofSeconds(30));
        return true;
    }

    private void awaitExit(ServerInfo info, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (info.processAlive() && System.nanoTime() < deadline) {
            sleep(50);
        }
        if (info.processAlive()) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "the local server (pid " + info.pid()
                    + ") did not stop within " + limit.toSeconds() + " s", "stop it with 'kill " + info.pid() + "'");
        }
    }

    /**
     * Removes what a dead server left: its server.json, and its command port's file, which after a
     * kill -9 may name a port another program now answers (the relays would wait on it in vain).
     */
    private void removeStale(ServerInfo info) {
        try {
            // only if it still names the dead process: a new server may just have written its own
            if (ServerInfo.read(home.serverFile()).filter(info::equals).isPresent()) {
                Files.deleteIfExists(home.serverFile());
            }
        } catch (IOException ignored) {
            // the next start overwrites it
        }
        try {
            // by its token, which is the server's: a new server writes this file before its server.json
            List<String> endpoint = Files.readAllLines(home.commandEndpoint());
            if (endpoint.size() >= 2 && endpoint.get(1).equals(info.token())) {
                Files.deleteIfExists(home.commandEndpoint());
            }
        } catch (IOException ignored) {
            // none, or the next start overwrites it
        }
    }

    private Duration timeout() {
        String text = env.get(START_TIMEOUT_ENV);
        try {
            return text == null || text.isBlank() ? Duration.ofSeconds(30) : Duration.ofSeconds(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw FerryException.invalid("invalid " + START_TIMEOUT_ENV + " '" + text + "'", "use whole seconds, e.g. 60");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while waiting for the local server", null);
        }
    }

    /** An exclusive lock on a file, waited for up to a limit. */
    private record StartLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        static StartLock take(Path file, Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            try {
                Files.createDirectories(file.getParent());
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                while (true) {
                    try {
                        FileLock lock = channel.tryLock();
                        if (lock != null) {
                            return new StartLock(channel, lock);
                        }
                    } catch (OverlappingFileLockException sameProcess) {
                        // another thread of this process holds it: wait like another process would
                    }
                    if (System.nanoTime() > deadline) {
                        channel.close();
                        throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "another ferry command has been starting"
                                + " the local server for " + limit.toSeconds() + " s", "retry; see " + file.getParent()
                                + "/logs/server.log");
                    }
                    sleep(50);
                }
            } catch (IOException e) {
                throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot lock " + file + ": " + e.getMessage(),
                        "check the permissions of FERRY_HOME", e);
            }
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // released when the process ends
            }
        }
    }
}
