package dev.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.core.api.FerryApi;
import dev.ferry.client.HttpFerry;
import dev.ferry.core.home.FerryHome;
import java.io.PrintWriter;
import java.util.Map;

/**
 * What every command of one invocation shares: the environment, the two output streams, the global
 * options and the API, opened on first use (so that {@code ferry version} never touches the store).
 */
final class CliContext implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

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
    /** How a missing local server is started (tests start it in their own JVM). */
    LocalServer.Starter serverStarter = LocalServer.BACKGROUND_PROCESS;
    private FerryApi api;

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
            if ("1".equals(env.get("FERRY_IN_PROCESS")) && (url == null || url.isBlank())) {
                // diagnostics and benchmarks: the store opened in this process, no server at all
                api = dev.ferry.core.api.LocalFerry.open(home());
            } else if (url != null && !url.isBlank()) {
                // a server named explicitly may be on another machine: data travels to it, never as paths
                api = HttpFerry.remote(url, env.get("FERRY_TOKEN"), home().remoteStatCacheDir(url));
            } else {
                api = localServer().connect();
            }
        }
        return api;
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
            out.println(JSON.writeValueAsString(value));
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
        if (api != null) {
            api.close();
        }
        out.flush();
        err.flush();
    }
}
