package dev.ferry.cli;

import dev.ferry.core.BuildId;
import dev.ferry.core.api.CommandFrames;
import dev.ferry.core.api.Wire;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.home.FerryHome;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The entry point of the {@code ferry} command. When the local server of FERRY_HOME runs, and runs
 * this very build, the whole invocation is handed to it over its command port (arguments, working
 * directory, environment; {@link CommandFrames}) and this process only relays the output and the exit
 * code: a warm process does the work, and a command costs about a bare JVM start instead of building
 * the CLI, JSON and the store in a cold one. Otherwise — no server yet, another build, a remote
 * server, a command that manages the server or its settings — the full CLI runs here
 * ({@link Ferry#main}) and starts the server when it needs one, so the next command is relayed.
 * One local command, {@code ingest validate} of a config file, it answers itself ({@link QuickValidate}).
 *
 * <p>Loads as little as it can: no picocli, no JSON, no HTTP, no store.
 */
public final class ThinClient {
    /** {@code FERRY_RELAY=0}: always run the command in this process (diagnostics). */
    static final String RELAY_ENV = "FERRY_RELAY";
    /**
     * How long a relay waits for the server to take or refuse a command (it answers in milliseconds);
     * {@code FERRY_RELAY_TIMEOUT_MS} for tests. Once taken, a command may run as long as it needs.
     */
    static final String ANSWER_TIMEOUT_ENV = "FERRY_RELAY_TIMEOUT_MS";
    static final int ANSWER_TIMEOUT_MS = 10_000;
    /** Commands that manage the local server or its settings run in the client's own process. */
    private static final Set<String> OWN_PROCESS_COMMANDS = Set.of("serve", "server", "config", "catalog", "login", "context",
            "cluster", "worker");
    /** Command groups every subcommand of which works on the store. */
    private static final Set<String> STORE_GROUPS = Set.of("repo", "bundle", "label", "dataset", "runs", "token");
    /** Single commands that work on the store. */
    private static final Set<String> STORE_COMMANDS = Set.of("push", "fsck", "gc");

    private ThinClient() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        // the config check needs no server: answered here, as fast as a JVM can start
        OptionalInt code = QuickValidate.run(List.of(args), stdout, stderr);
        if (code.isEmpty()) {
            code = relayStartingServer(args, env, Path.of("").toAbsolutePath(), stdout, stderr, Terminal.interactive(env));
        }
        if (code.isPresent()) {
            // Nothing is left to flush or clean up: the output went straight to the file descriptors and
            // the interrupt note is disarmed. System.exit would first set up the JDK's logging, to log
            // that it exits (~4 ms of a command that takes ~70).
            Runtime.getRuntime().halt(code.getAsInt());
        }
        Ferry.main(args);
    }

    /**
     * {@link #relay}, and when no server runs yet for a command that certainly needs one, starts it
     * first ({@link LocalServer#startForRelay}) and relays to it: the first command after the server's
     * idle stop then costs a server start, not also a full CLI start, HTTP client and JSON mapping in
     * this process. Empty when the command must run in this process after all.
     */
    static OptionalInt relayStartingServer(String[] args, Map<String, String> env, Path cwd, OutputStream stdout,
            OutputStream stderr, boolean interactive) {
        OptionalInt code = relay(args, env, cwd, stdout, stderr, interactive);
        if (code.isEmpty() && relayable(List.of(args), env) && needsServer(List.of(args))
                && LocalServer.startForRelay(FerryHome.resolve(env), env)) {
            code = relay(args, env, cwd, stdout, stderr, interactive);
        }
        return code;
    }

    /**
     * Whether the command works on the store whatever else it says: a store command with a subcommand
     * (a group alone prints its usage), and no help or dry run.
     */
    static boolean needsServer(List<String> args) {
        String command = commandWord(args);
        if (command == null) {
            return false;
        }
        // of ingest only push: validate and schema are local only
        boolean store = STORE_COMMANDS.contains(command) || STORE_GROUPS.contains(command) && subcommandAfter(args, command)
                || command.equals("ingest") && args.contains("push");
        return store && args.stream().noneMatch(a -> a.equals("--help") || a.equals("-h") || a.equals("help")
                || a.equals("--dry-run"));
    }

    private static boolean subcommandAfter(List<String> args, String command) {
        return args.subList(args.indexOf(command) + 1, args.size()).stream().anyMatch(a -> !a.startsWith("-"));
    }

    /**
     * Hands the invocation to the local server if it can; empty if the command must run in this
     * process (nothing has been written then).
     */
    static OptionalInt relay(String[] args, Map<String, String> env, Path cwd, OutputStream stdout, OutputStream stderr,
            boolean interactive) {
        return relay(args, env, cwd, stdout, stderr, interactive, OutputTarget::of);
    }

    /** {@link #relay}, told where the output streams go ({@link OutputTarget#of} for this process's own). */
    static OptionalInt relay(String[] args, Map<String, String> env, Path cwd, OutputStream stdout, OutputStream stderr,
            boolean interactive, java.util.function.IntFunction<OutputTarget> targets) {
        if (!relayable(List.of(args), env)) {
            return OptionalInt.empty();
        }
        FerryHome home = FerryHome.resolve(env);
        List<String> endpoint;
        try {
            endpoint = Files.readAllLines(home.commandEndpoint()); // port, token
        } catch (IOException noServer) {
            return OptionalInt.empty();
        }
        InterruptNote note = null;
        int answerTimeout = answerTimeoutMillis(env);
        try (Socket socket = new Socket()) {
            try {
                // a dead server's port refuses at once, and then the full CLI sorts it out
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(endpoint.get(0))), 2_000);
                Map<String, String> sent = new HashMap<>(env);
                // said absolutely: a relative FERRY_HOME meant the client's directory, not the server's
                sent.put(FerryHome.ENV, home.root().toString());
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
                CommandFrames.writeRequest(out, endpoint.get(1), new Wire.Command(List.of(args), cwd.toString(), sent,
                        interactive, columns(env), BuildId.current()));
            } catch (IOException | RuntimeException notReachable) {
                return OptionalInt.empty();
            }
            note = new InterruptNote(stderr);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.setSoTimeout(answerTimeout);
            return OptionalInt.of(CommandFrames.read(in, new Relay(stdout, stderr, note, socket)));
        } catch (java.net.SocketTimeoutException noAnswer) {
            // only before the server took the command (then the timeout goes): it has not run, nothing was written
            String seconds = java.math.BigDecimal.valueOf(answerTimeout, 3).stripTrailingZeros().toPlainString();
            writeQuietly(stderr, "error: the local Ferry server's port (" + endpoint.get(0) + ") did not take the command within "
                    + seconds + " s\n  hint: 'ferry server status' clears what a dead server left behind; then run the command"
                    + " again (if the server still runs, see its log, " + home.serverLogFile() + ")\n");
            return OptionalInt.of(ErrorCode.UNREACHABLE.exitCode());
        } catch (CommandFrames.Refused another) {
            return OptionalInt.empty(); // another build (nothing was written): run it here
        } catch (OutputClosed gone) {
            // closing the socket stops the command; said only if it was not a reader going away
            return OptionalInt.of(targets.apply(gone.fd).failed(gone.getCause().getMessage(),
                    gone.fd == OutputTarget.STDERR ? OutputStream.nullOutputStream() : stderr));
        } catch (IOException e) {
            // the user may have seen output already: the command has run, whatever happens next
            if (note != null) {
                note.set("");
            }
            writeQuietly(stderr, "error: the local Ferry server stopped answering in the middle of the command ("
                    + e.getMessage() + ")\n  hint: see its log, " + home.serverLogFile() + ", and run the command again\n");
            return OptionalInt.of(ErrorCode.UNREACHABLE.exitCode());
        } finally {
            if (note != null) {
                note.disarm();
            }
        }
    }

    private static void writeQuietly(OutputStream stderr, String line) {
        try {
            stderr.write(line.getBytes(StandardCharsets.UTF_8));
            stderr.flush();
        } catch (IOException ignored) {
            // stderr is gone too
        }
    }

    static int answerTimeoutMillis(Map<String, String> env) {
        try {
            return Math.max(1, Integer.parseInt(env.getOrDefault(ANSWER_TIMEOUT_ENV, "")));
        } catch (NumberFormatException e) {
            return ANSWER_TIMEOUT_MS;
        }
    }

    /** Writes each frame where the command meant it, at once. */
    private record Relay(OutputStream stdout, OutputStream stderr, InterruptNote note, Socket socket)
            implements CommandFrames.Reader {
        @Override
        public void accepted() throws IOException {
            socket.setSoTimeout(0);
        }

        @Override
        public void stdout(byte[] bytes, int len) throws IOException {
            copy(bytes, len, stdout, OutputTarget.STDOUT);
        }

        @Override
        public void stderr(byte[] bytes, int len) throws IOException {
            copy(bytes, len, stderr, OutputTarget.STDERR);
        }

        private static void copy(byte[] bytes, int len, OutputStream to, int fd) throws OutputClosed {
            try {
                to.write(bytes, 0, len);
                to.flush();
            } catch (IOException e) {
                throw new OutputClosed(fd, e);
            }
        }

        @Override
        public void onInterrupt(String text) {
            note.set(text);
        }
    }

    /**
     * Writing to this process's own stdout or stderr (file descriptor {@code fd}) failed: their reader
     * went away or their disk is full, not the server.
     */
    private static final class OutputClosed extends IOException {
        final int fd;

        OutputClosed(int fd, IOException cause) {
            super(cause);
            this.fd = fd;
        }
    }

    /** Whether the server may run this invocation for the client (no process-bound command, relaying not turned off). */
    static boolean relayable(List<String> args, Map<String, String> env) {
        if ("0".equals(env.get(RELAY_ENV)) || "1".equals(env.get("FERRY_IN_PROCESS"))) {
            return false;
        }
        // a command for a remote server (--server, FERRY_SERVER, a context) is relayed too: the local
        // server, warm, is then the client that talks to the remote one
        String command = commandWord(args);
        return command == null || !OWN_PROCESS_COMMANDS.contains(command);
    }

    /** The first word that is not an option (or an option's value): the top-level command. */
    private static String commandWord(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-o") || arg.equals("--output")) {
                i++;
            } else if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
    }

    /** The terminal's width, as the launcher found it (FERRY_COLUMNS) or the shell exported it; 0: unknown. */
    private static int columns(Map<String, String> env) {
        for (String name : new String[] {"FERRY_COLUMNS", "COLUMNS"}) {
            try {
                int n = Integer.parseInt(env.getOrDefault(name, "").trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException notANumber) {
                // try the next
            }
        }
        return 0;
    }

    /**
     * What to say if the user interrupts (Ctrl-C) while the server runs the command: the server sends
     * it (e.g. how to reattach to a run that keeps going); the JVM's shutdown hook prints it.
     */
    private static final class InterruptNote {
        private final OutputStream stderr;
        private final Thread hook;
        private volatile String text = "";

        InterruptNote(OutputStream stderr) {
            this.stderr = stderr;
            this.hook = new Thread(this::say, "ferry-interrupt-note");
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already interrupted: nothing to say later
            }
        }

        void set(String note) {
            text = note;
        }

        private void say() {
            String note = text;
            if (!note.isEmpty()) {
                try {
                    stderr.write((note + "\n").getBytes(StandardCharsets.UTF_8));
                    stderr.flush();
                } catch (IOException ignored) {
                    // nowhere to say it
                }
            }
        }

        void disarm() {
            text = "";
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now, with nothing to say
            }
        }
    }
}
