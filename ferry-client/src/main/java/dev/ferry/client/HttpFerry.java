package dev.ferry.client;

import com.fasterxml.jackson.databind.JavaType;
import dev.ferry.core.api.DownloadRequest;
import dev.ferry.core.api.FerryApi;
import dev.ferry.core.api.Wire;
import dev.ferry.core.catalog.LabelCondition;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.maint.FsckReport;
import dev.ferry.core.maint.GcReport;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.Dataset;
import dev.ferry.core.model.DiffEntry;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.Json;
import dev.ferry.core.model.Label;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.model.Repo;
import dev.ferry.core.run.EventSink;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunSpec;
import dev.ferry.core.run.Submission;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.transfer.DownloadOutcome;
import dev.ferry.core.transfer.Downloader;
import dev.ferry.core.transfer.NameFilter;
import dev.ferry.core.transfer.Updater;
import dev.ferry.core.transfer.TransferListener;
import dev.ferry.core.transfer.UpdateOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link FerryApi} over HTTP: every call is one request to {@code /api/v1}, errors come back as the
 * same FerryExceptions the server raised. Paths in requests are made absolute: the local server reads
 * and writes them on this machine.
 */
public final class HttpFerry implements FerryApi {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Blob reads in flight during a download from a remote server (each one a request). */
    private static final int PARALLEL_READS = 8;

    private final String base;
    private final String token;
    /** For event and line streams only; made on first use (its start-up is most of a short call's cost). */
    private HttpClient http;
    /** Where the stat caches of uploads to this server live; null for a server that reads our folders itself. */
    private final Path uploadCache;
    /** The remote server's store, when data travels to and from it (null for the local server). */
    private final RemoteBlobStore remoteStore;

    /** A client of the local server, which reads and writes this machine's folders itself. */
    public HttpFerry(String serverUrl, String token) {
        this(serverUrl, token, null);
    }

    private HttpFerry(String serverUrl, String token, Path uploadCache) {
        this.base = stripSlash(serverUrl) + "/api/v1";
        this.token = token;
        this.uploadCache = uploadCache;
        this.remoteStore = uploadCache == null ? null : new RemoteBlobStore(this);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = newClient(base);
        }
        return http;
    }

    /**
     * An HTTP/1.1 client. For a plain-http URL (the local server) it gets a TLS context that is never
     * initialised: by default the JDK client sets up TLS on creation (trust store, cipher suites), which
     * is a fifth of a warm CLI call's time and useless without https.
     */
    private static HttpClient newClient(String url) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT);
        if (url.startsWith("http://")) {
            try {
                b.sslContext(javax.net.ssl.SSLContext.getInstance("TLS")).sslParameters(new javax.net.ssl.SSLParameters());
            } catch (java.security.NoSuchAlgorithmException e) {
                // keep the default context
            }
        }
        return b.build();
    }

    /**
     * A client of a remote server: folders are uploaded to it (missing blobs only) before their runs are
     * submitted, with the stat caches in {@code uploadCache} so an unchanged file is not read twice.
     */
    public static HttpFerry remote(String serverUrl, String token, Path uploadCache) {
        return new HttpFerry(serverUrl, token, java.util.Objects.requireNonNull(uploadCache));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String url() {
        return base;
    }

    /** {@code GET /health}, without the token: whether a server answers at all, and what it is. */
    public Wire.Health health() {
        return call("GET", "/health", null, type(Wire.Health.class));
    }

    public Wire.Version version() {
        return call("GET", "/version", null, type(Wire.Version.class));
    }

    /** Asks the server to stop; refused (CONFLICT) while runs are active unless forced. */
    public void shutdown(boolean force) {
        call("POST", "/server/shutdown" + (force ? "?force=true" : ""), null, null);
    }

    // ---------------------------------------------------------------- repos, bundles, labels

    @Override
    public Repo createRepo(String name, String description) {
        return call("POST", "/repos", new Wire.CreateRepo(name, description), type(Repo.class));
    }

    @Override
    public List<Repo> listRepos() {
        return call("GET", "/repos", null, list(Repo.class));
    }

    @Override
    public Repo getRepo(String name) {
        return call("GET", "/repos/" + seg(name), null, type(Repo.class));
    }

    @Override
    public void deleteRepo(String name, boolean force) {
        call("DELETE", "/repos/" + seg(name) + (force ? "?force=true" : ""), null, null);
    }

    @Override
    public List<Bundle> listBundles(String repo) {
        return call("GET", "/repos/" + seg(repo) + "/bundles", null, list(Bundle.class));
    }

    @Override
    public Bundle getBundle(String repo, BundleRef ref) {
        return call("GET", bundlePath(repo, ref), null, type(Bundle.class));
    }

    @Override
    public Bundle listFiles(String repo, BundleRef ref, Consumer<FileEntry> sink) {
        Bundle bundle = getBundle(repo, ref);
        try (InputStream body = stream("GET", bundlePath(repo, ref) + "/files");
                BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    sink.accept(Json.MAPPER.readValue(line, FileEntry.class));
                }
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
        return bundle;
    }

    @Override
    public DownloadOutcome download(DownloadRequest request, TransferListener listener) {
        if (remoteStore != null) {
            // a remote server cannot write here: its blobs come over and are written by this process
            return new Downloader(remoteStore, PARALLEL_READS).download(remoteManifest(request.repo(), request.bundle()),
                    request.destination(), NameFilter.of(request.nameFilter()), request.force(), listener);
        }
        return call("POST", bundlePath(request.repo(), request.bundle()) + "/download",
                new Wire.Download(absolute(request.destination()), request.nameFilter(), request.force()),
                type(DownloadOutcome.class));
    }

    @Override
    public DownloadOutcome downloadFile(String repo, BundleRef ref, String path, Path destination, boolean force) {
        if (remoteStore != null) {
            return new Downloader(remoteStore, PARALLEL_READS).downloadFile(remoteManifest(repo, ref), path, destination,
                    force);
        }
        return call("POST", bundlePath(repo, ref) + "/download-file",
                new Wire.DownloadFile(path, absolute(destination), force), type(DownloadOutcome.class));
    }

    @Override
    public List<Bundle> diff(String repo, BundleRef from, BundleRef to, Consumer<DiffEntry> sink) {
        Wire.Diff diff = call("GET", "/repos/" + seg(repo) + "/diff?from=" + query(refText(from)) + "&to="
                + query(refText(to)), null, type(Wire.Diff.class));
        diff.changes().forEach(sink);
        return List.of(diff.from(), diff.to());
    }

    @Override
    public UpdateOutcome update(String repo, BundleRef ref, Path destination, TransferListener listener) {
        if (remoteStore != null) {
            return new Updater(remoteStore).update(remoteManifest(repo, ref), destination, listener);
        }
        return call("POST", bundlePath(repo, ref) + "/update", new Wire.Update(absolute(destination)),
                type(UpdateOutcome.class));
    }

    @Override
    public LabelMove setLabel(String repo, String label, String bundleId, LabelCondition condition) {
        String expect = switch (condition) {
            case LabelCondition.Any any -> null;
            case LabelCondition.Absent absent -> "absent";
            case LabelCondition.PointsTo p -> p.bundleId();
        };
        return call("PUT", "/repos/" + seg(repo) + "/labels/" + seg(label), new Wire.SetLabel(bundleId, expect),
                type(LabelMove.class));
    }

    @Override
    public Label getLabel(String repo, String label) {
        return call("GET", "/repos/" + seg(repo) + "/labels/" + seg(label), null, type(Label.class));
    }

    @Override
    public List<Label> listLabels(String repo) {
        return call("GET", "/repos/" + seg(repo) + "/labels", null, list(Label.class));
    }

    @Override
    public Wire.CreatedToken createToken(String name, String tables, boolean readOnly) {
        return call("POST", "/tokens", new Wire.CreateToken(name, tables, readOnly), type(Wire.CreatedToken.class));
    }

    @Override
    public List<dev.ferry.core.auth.Token> listTokens() {
        return call("GET", "/tokens", null, list(dev.ferry.core.auth.Token.class));
    }

    @Override
    public dev.ferry.core.auth.Token revokeToken(String name) {
        return call("DELETE", "/tokens/" + seg(name), null, type(dev.ferry.core.auth.Token.class));
    }

    @Override
    public List<LabelMove> labelHistory(String repo, String label) {
        String path = label == null ? "/repos/" + seg(repo) + "/label-history"
                : "/repos/" + seg(repo) + "/labels/" + seg(label) + "/history";
        return call("GET", path, null, list(LabelMove.class));
    }

    // ---------------------------------------------------------------- datasets

    @Override
    public List<Dataset> listDatasets() {
        return call("GET", "/datasets", null, list(Dataset.class));
    }

    @Override
    public List<Ingestion> listIngestions(String table) {
        return call("GET", "/datasets/" + seg(table) + "/versions", null, list(Ingestion.class));
    }

    @Override
    public Ingestion getIngestion(String table, BundleRef version) {
        return call("GET", "/datasets/" + seg(table) + (version == null ? "" : "?version=" + query(refText(version))),
                null, type(Ingestion.class));
    }

    @Override
    public InputStream openRows(Ingestion ingestion) {
        return stream("GET", "/datasets/" + seg(ingestion.repo()) + "/rows?version=" + query(ingestion.bundleId()));
    }

    // ---------------------------------------------------------------- runs

    @Override
    public Submission submit(RunSpec spec, String idempotencyKey) {
        Reply reply = send("POST", "/runs", new Wire.SubmitRun(spec, idempotencyKey));
        return new Submission(read(reply, type(Run.class)), reply.status() == 201);
    }

    @Override
    public Run getRun(String id) {
        return call("GET", "/runs/" + seg(id), null, type(Run.class));
    }

    @Override
    public List<Run> listRuns(int limit) {
        return call("GET", "/runs?limit=" + limit, null, list(Run.class));
    }

    @Override
    public List<LoggedEvent> runEvents(String id, long after) {
        return call("GET", "/runs/" + seg(id) + "/events?after=" + after, null, list(LoggedEvent.class));
    }

    @Override
    public boolean watchRun(String id, long after, EventSink sink) throws InterruptedException {
        long seen = after;
        int reconnects = 0;
        while (true) {
            EventStreamReader.Outcome outcome;
            try (InputStream body = stream("GET", "/runs/" + seg(id) + "/events/stream", "Last-Event-ID",
                    Long.toString(seen))) {
                outcome = EventStreamReader.read(body, sink);
            } catch (IOException e) {
                outcome = new EventStreamReader.Outcome(EventStreamReader.End.DROPPED, -1);
            } catch (FerryException e) {
                if (e.code() != ErrorCode.UNREACHABLE || ++reconnects > 5) {
                    throw e;
                }
                Thread.sleep(200L * reconnects);
                continue;
            }
            if (outcome.lastSeq() > seen) {
                seen = outcome.lastSeq();
                reconnects = 0;
            }
            switch (outcome.end()) {
                case RUN_ENDED -> {
                    return true;
                }
                case SINK_STOPPED -> {
                    return false;
                }
                case DROPPED -> {
                    // the connection broke: resume after the last event seen, as SSE intends
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    if (++reconnects > 5) {
                        throw new FerryException(ErrorCode.UNREACHABLE, "lost the event stream of run " + id,
                                "reattach with 'ferry runs watch " + id + "'");
                    }
                    Thread.sleep(200L * reconnects);
                }
            }
        }
    }

    @Override
    public Run cancelRun(String id) {
        return call("POST", "/runs/" + seg(id) + "/cancel", null, type(Run.class));
    }

    // ---------------------------------------------------------------- maintenance

    @Override
    public FsckReport fsck(boolean readData, boolean repair, Consumer<String> progress) {
        return call("POST", "/fsck", new Wire.Fsck(readData, repair), type(FsckReport.class));
    }

    @Override
    public GcReport gc(Duration grace, boolean dryRun, Consumer<String> progress) {
        return call("POST", "/gc", new Wire.Gc(grace.toSeconds(), dryRun), type(GcReport.class));
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
        }
    }

    // ---------------------------------------------------------------- uploads to a remote server

    @Override
    public RunSpec stage(RunSpec spec, TransferListener listener) {
        if (remoteStore == null || spec.staged() != null) {
            return spec;
        }
        checkAccessBeforeSending(spec);
        Path folder = Path.of(spec.path());
        var outcome = new dev.ferry.core.transfer.Uploader(remoteStore, uploadCache,
                Runtime.getRuntime().availableProcessors()).upload(folder, listener);
        return switch (spec) {
            case RunSpec.Upload u -> u.withStaged(outcome);
            case RunSpec.Push p -> p.withStaged(outcome, p.configFile() == null ? null : readConfig(Path.of(p.configFile())));
        };
    }

    /**
     * Asks about the table first, so that a token that may not use it (403) or a repo that does not
     * exist (an upload's 404) is refused before any data travels, not after the whole upload.
     */
    private void checkAccessBeforeSending(RunSpec spec) {
        String table = switch (spec) {
            case RunSpec.Upload u -> u.repo();
            case RunSpec.Push p -> p.flags() != null && p.flags().table() != null ? p.flags().table() : configTable(p.configFile());
        };
        if (table == null) {
            return; // the server says what is wrong once the run starts
        }
        try {
            call("GET", "/repos/" + seg(table), null, type(Repo.class));
        } catch (FerryException e) {
            if (!(e.code() == ErrorCode.NOT_FOUND && spec instanceof RunSpec.Push)) {
                throw e; // a push makes its table; an upload needs its repo
            }
        }
    }

    private static String configTable(String configFile) {
        try {
            return configFile == null ? null
                    : dev.ferry.core.ingest.ConfigDocument.read(Path.of(configFile)).path("table").asText(null);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** A bundle's manifest, read from the remote server's blobs. */
    private Manifest remoteManifest(String repo, BundleRef ref) {
        return Manifest.open(remoteStore, getBundle(repo, ref).manifest());
    }

    private static String readConfig(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read the config file " + file + ": " + e.getMessage(),
                    "check the --config path");
        }
    }

    /** {@code POST /blobs/missing}: which of these the server does not have. */
    List<dev.ferry.core.model.Digest> missingBlobs(List<dev.ferry.core.model.Digest> digests) {
        Wire.Digests answer = call("POST", "/blobs/missing", new Wire.Digests(digests), type(Wire.Digests.class));
        return answer == null ? List.of() : answer.digests();
    }

    /** {@code POST /packs}: one body of {@link dev.ferry.core.pack.BlobFrames}, stored whole or not at all. */
    Wire.PackReceipt uploadPack(byte[] body, int length) {
        return read(send("POST", "/packs", "application/octet-stream", body, length), type(Wire.PackReceipt.class));
    }

    /** {@code GET /blobs/{digest}}: one blob's bytes (the caller verifies them). */
    byte[] readBlob(dev.ferry.core.model.Digest digest) {
        return send("GET", "/blobs/" + seg(digest.toString()), null).body();
    }

    /**
     * {@code POST /blobs/read}: many blobs in one answer, each checked against its digest here
     * (DATA_CORRUPT if one arrives damaged).
     */
    java.util.Map<dev.ferry.core.model.Digest, byte[]> readBlobs(List<dev.ferry.core.model.Digest> digests) {
        byte[] body = send("POST", "/blobs/read", new Wire.Digests(digests)).body();
        java.util.Map<dev.ferry.core.model.Digest, byte[]> blobs = new java.util.HashMap<>();
        try {
            dev.ferry.core.pack.BlobFrames.read(new java.io.ByteArrayInputStream(body),
                    (digest, data, length) -> blobs.put(digest, java.util.Arrays.copyOf(data, length)));
        } catch (IOException | FerryException e) {
            throw new FerryException(ErrorCode.DATA_CORRUPT, "blobs from " + base + " arrived damaged: " + e.getMessage(),
                    "try again; if it repeats, run 'ferry fsck' against the server", e);
        }
        return blobs;
    }

    boolean manifestCommitted(dev.ferry.core.model.Digest root) {
        Wire.ManifestState state = call("GET", "/manifests/" + seg(root.toString()), null, type(Wire.ManifestState.class));
        return state != null && state.committed();
    }

    // ---------------------------------------------------------------- HTTP

    private <T> T call(String method, String path, Object body, JavaType type) {
        return read(send(method, path, body), type);
    }

    private static <T> T read(Reply reply, JavaType type) {
        if (type == null || reply.body().length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(reply.body(), type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "the server sent a response this client cannot read: "
                    + e.getMessage(), "check that the CLI and the server have the same version ('ferry version')", e);
        }
    }

    /** A whole response: its status and body. */
    private record Reply(int status, byte[] body) {}

    private Reply send(String method, String path, Object body) {
        byte[] json = body == null ? null : Json.write(body).getBytes(StandardCharsets.UTF_8);
        return send(method, path, "application/json", json, json == null ? 0 : json.length);
    }

    /**
     * One request with a whole body and a whole answer, over {@link java.net.HttpURLConnection}: it
     * starts in a fraction of the JDK HttpClient's time (no selector thread, no executor — a warm CLI
     * call is mostly start-up) and streams a fixed-length body to the socket in large writes. Kept-alive
     * connections are reused by the JDK. Event streams use the HttpClient ({@link #stream}).
     */
    private Reply send(String method, String path, String contentType, byte[] body, int length) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(base + path).toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            if (token != null) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            if (body != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(length);
                c.setRequestProperty("Content-Type", contentType);
                try (var out = c.getOutputStream()) {
                    out.write(body, 0, length);
                }
            }
            int status = c.getResponseCode();
            byte[] answer;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            if (status >= 300) {
                throw error(status, answer);
            }
            return new Reply(status, answer);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private InputStream stream(String method, String path, String... headers) {
        HttpRequest.Builder request = request(path).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<InputStream> response = exchange(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            try (InputStream in = response.body()) {
                throw error(response.statusCode(), in.readAllBytes());
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http().send(request, handler);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERRUPTED, "interrupted while waiting for the server", null);
        }
    }

    private FerryException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return new FerryException(ErrorCode.UNREACHABLE, "cannot reach the Ferry server at " + base + ": " + why,
                "check that it runs ('ferry server status') and FERRY_SERVER, if set", e);
    }

    private static FerryException error(int status, byte[] body) {
        try {
            Wire.ErrorBody parsed = Json.MAPPER.readValue(body, Wire.ErrorBody.class);
            if (parsed != null && parsed.error() != null && parsed.error().code() != null) {
                ErrorCode code;
                try {
                    code = ErrorCode.valueOf(parsed.error().code());
                } catch (IllegalArgumentException e) {
                    code = ErrorCode.REJECTED;
                }
                return new FerryException(code, parsed.error().message(), parsed.error().hint());
            }
        } catch (IOException notJson) {
            // fall through: not one of our error bodies (a proxy, another program on the port)
        }
        ErrorCode code = status == 401 || status == 403 ? ErrorCode.UNAUTHORIZED
                : status == 404 ? ErrorCode.NOT_FOUND : ErrorCode.REJECTED;
        return new FerryException(code, "the server answered HTTP " + status + ": "
                + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip(),
                "check that FERRY_SERVER points at a Ferry server");
    }

    private static JavaType type(Class<?> cls) {
        return Json.MAPPER.getTypeFactory().constructType(cls);
    }

    private static JavaType list(Class<?> element) {
        return Json.MAPPER.getTypeFactory().constructCollectionType(List.class, element);
    }

    private static String bundlePath(String repo, BundleRef ref) {
        return "/repos/" + seg(repo) + "/bundles/" + seg(refText(ref));
    }

    private static String refText(BundleRef ref) {
        return switch (ref) {
            case BundleRef.ById id -> id.id();
            case BundleRef.ByLabel label -> label.label();
        };
    }

    private static String seg(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String absolute(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }
}
