package dev.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.core.api.FerryApi;
import dev.ferry.client.HttpFerry;
import dev.ferry.core.home.FerryHome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every command of one invocation shares: the environment, the two output streams, the global
 * options and the API, opened on first use (so that {@code ferry version} never touches the store).
 */
final class CliContext implements AutoCloseable {
    /** The JSON mapping of every command, made on first use: a JVM's first mapper costs ~30 ms (its date formats). */
    private static final class Mapper {
        // A generator over stdout must never close it: what is printed after the document (its last
        // newline) would be lost, and the exit code would report a closed output.
        static final ObjectMapper JSON = new ObjectMapper()
                .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    static ObjectMapper mapper() {
        return Mapper.JSON;
    }

    final Map<String, String> env;
    final PrintWriter out;
    final PrintWriter err;
    /** Raw bytes to stdout (binary exports); null in-process, where bytes go to {@link #out} as UTF-8. */
    private final java.io.OutputStream rawOut;
    /** Stderr is a terminal that may show progress bars and colours. */
    final boolean interactive;
    OutputFormat output = OutputFormat.text;
    boolean verbose;
    /** --server URL: a remote server instead of the local one. */
    String serverUrl;
    /** {@code --context NAME}: a server 'ferry login' remembered; null for the current one (if any). */
    String contextName;
    /** How a missing local server is started (tests start it in their own JVM). */
    LocalServer.Starter serverStarter = LocalServer.BACKGROUND_PROCESS;
    private FerryApi api;
    /** The port-forward to a cluster's server this invocation opened (closed with it), or null. */
    private dev.ferry.k8s.ClusterLink clusterLink;
    /**
     * When the local server runs this invocation for a client: the server's own API, used unless the
     * invocation names a remote server (then this process is the client that talks to it).
     */
    private FerryApi serverApi;
    /** False when the API belongs to someone else (the server running this command for a thin client). */
    private boolean ownsApi = true;
    /** The client's working directory when the server runs the command for it; null: this process's own. */
    private Path cwd;
    /** The client's terminal width for progress bars (0: find out, or the library's default). */
    int columns;
    /** Where progress bars draw: this process's stderr, or the client's. */
    java.io.PrintStream progressStream = System.err;
    /** Says the client's interrupt note when the server runs the command for a thin client; null otherwise. */
    private java.util.function.Consumer<String> interruptNotes;
    /** Paths as the user typed them (relative ones are resolved against the client's directory). */
    private final Map<Path, String> typedPaths = new java.util.HashMap<>();

    CliContext(Map<String, String> env, PrintWriter out, PrintWriter err, boolean interactive) {
        this(env, out, err, interactive, null);
    }

    CliContext(Map<String, String> env, PrintWriter out, PrintWriter err, boolean interactive, java.io.OutputStream rawOut) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
        this.rawOut = rawOut;
    }

    /** stdout as bytes; flush {@link #out} before writing here. */
    java.io.OutputStream stdout() {
        if (rawOut != null) {
            return rawOut;
        }
        return new java.io.OutputStream() {
            private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

            @Override
            public void write(int b) {
                pending.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                pending.write(b, off, len);
            }

            @Override
            public void flush() {
                out.write(pending.toString(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                pending.reset();
            }
        };
    }

    /**
     * Makes this context run a command for a thin client: its working directory, terminal width and
     * interrupt notes, over the server's own API (which stays open when the command ends).
     */
    void runFor(Path clientCwd, int clientColumns, FerryApi serverApi, java.util.function.Consumer<String> notes) {
        this.cwd = clientCwd;
        this.columns = clientColumns;
        this.serverApi = serverApi;
        this.interruptNotes = notes;
    }

    /** A path the user typed, resolved against their working directory. */
    Path path(String typed) {
        Path p = Path.of(typed);
        if (cwd == null || p.isAbsolute()) {
            return p;
        }
        Path resolved = cwd.resolve(p);
        typedPaths.put(resolved, typed);
        return resolved;
    }

    /** A path for messages: as the user typed it, so output reads the same wherever the command runs. */
    String shown(Path p) {
        for (Map.Entry<Path, String> typed : typedPaths.entrySet()) {
            if (p.startsWith(typed.getKey())) {
                Path rest = typed.getKey().relativize(p);
                return rest.toString().isEmpty() ? typed.getValue() : Path.of(typed.getValue()).resolve(rest).toString();
            }
        }
        return p.toString();
    }

    /** A message with the paths the user typed as they typed them (see {@link #shown}). */
    String shownIn(String message) {
        if (message == null || typedPaths.isEmpty()) {
            return message;
        }
        String shown = message;
        for (Map.Entry<Path, String> typed : typedPaths.entrySet()) {
            shown = shown.replace(typed.getKey().toString(), typed.getValue());
        }
        return shown;
    }

    /**
     * Says {@code note} on stderr if the user interrupts (Ctrl-C) the command before the returned
     * handle is closed; {@code before} runs first (clears a progress bar). Nothing if the JVM is
     * already shutting down.
     */
    Disarm onInterrupt(String note, Runnable before) {
        if (interruptNotes != null) {
            interruptNotes.accept(note);
            return () -> interruptNotes.accept("");
        }
        Thread hook = new Thread(() -> {
            before.run();
            err.println(note);
            err.flush();
        });
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return () -> {};
        }
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        };
    }

    /**
     * Waits until the command is interrupted: by Ctrl-C here, or — run for a thin client — once that
     * client has gone. A client that goes away is noticed at the command's next write, so a silent
     * wait writes an empty interrupt note every second to notice it.
     */
    void waitUntilInterrupted() throws InterruptedException {
        while (true) {
            if (interruptNotes != null) {
                interruptNotes.accept(""); // fails once the client has gone, and the server interrupts this thread
            }
            Thread.sleep(1_000);
        }
    }

    /** Ends what {@link #onInterrupt} armed. */
    interface Disarm extends AutoCloseable {
        @Override
        void close();
    }

    FerryHome home() {
        return FerryHome.resolve(env);
    }

    /**
     * The API of the server this invocation talks to: {@code --server}/FERRY_SERVER (with FERRY_TOKEN),
     * else the local server of FERRY_HOME, started in the background if none runs.
     */
    FerryApi api() {
        if (api == null) {
            String url = serverUrl != null ? serverUrl : env.get("FERRY_SERVER");
            String token = env.get("FERRY_TOKEN");
            if (url == null || url.isBlank()) {
                var context = Contexts.selected(home().root(), contextName);
                if (context.isPresent() && context.get().kubernetes() != null) {
                    // a cluster's release: found, a token minted and a port-forward opened for this command
                    Contexts.Kube k = context.get().kubernetes();
                    dev.ferry.k8s.ClusterLink link = dev.ferry.k8s.ClusterLink.open(k.kubeconfig(), k.context(), k.namespace(), env);
                    clusterLink = link;
                    // a watch outlives the server pod being replaced: the tunnel finds the next ready pod
                    api = HttpFerry.remote(link.url(), link.token(), home().remoteStatCacheDir(link.cacheKey()))
                            .reconnectingFor(java.time.Duration.ofMinutes(2));
                    return api;
                }
                if (context.isPresent()) {
                    url = context.get().server();
                    token = context.get().token();
                }
            }
            if (serverApi != null && (url == null || url.isBlank())) {
                // run by the local server for a client: its own store
                api = serverApi;
                ownsApi = false;
            } else if ("1".equals(env.get("FERRY_IN_PROCESS")) && (url == null || url.isBlank())) {
                // diagnostics and benchmarks: the store opened in this process, no server at all
                api = dev.ferry.core.api.LocalFerry.open(home());
            } else if (url != null && !url.isBlank()) {
                // a server named explicitly may be on another machine: data travels to it, never as paths
                api = HttpFerry.remote(url, token, home().remoteStatCacheDir(url));
            } else {
                api = localServer().connect();
            }
        }
        return api;
    }

    /**
     * The store of the server this command runs in, when the local server runs it for a client (the
     * relayed CLI) and it talks to that server: null otherwise (a CLI process of its own, a remote server).
     */
    FerryApi runsOnServer() {
        String url = serverUrl != null ? serverUrl : env.get("FERRY_SERVER");
        return serverApi != null && (url == null || url.isBlank()) && Contexts.selected(home().root(), contextName).isEmpty()
                ? serverApi : null;
    }

    /** The port-forward to a cluster's server this command opened, if it reaches one. */
    dev.ferry.k8s.ClusterLink clusterLink() {
        return clusterLink;
    }

    LocalServer localServer() {
        return new LocalServer(home(), env, this::note, serverStarter);
    }

    boolean json() {
        return output == OutputFormat.json;
    }

    /** Prints one JSON document on stdout. */
    void printJson(Object value) {
        try {
            out.println(mapper().writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON output", e);
        }
        out.flush();
    }

    /** Human text about what happened: stderr, so that stdout stays data. */
    void note(String line) {
        err.println(line);
        err.flush();
    }

    @Override
    public void close() {
        try {
            if (api != null && ownsApi) {
                api.close();
            }
        } finally {
            // the port-forward ends with the command even when the client's close fails (an interrupted one)
            if (clusterLink != null) {
                clusterLink.close();
            }
            out.flush();
            err.flush();
        }
    }
}
