package dev.ferry.client;

import static dev.ferry.client.HttpTransport.list;
import static dev.ferry.client.HttpTransport.query;
import static dev.ferry.client.HttpTransport.seg;
import static dev.ferry.client.HttpTransport.type;

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
import dev.ferry.core.transfer.DownloadOutcome;
import dev.ferry.core.transfer.TransferListener;
import dev.ferry.core.transfer.UpdateOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link FerryApi} over HTTP: every call is one request to {@code /api/v1} ({@link HttpTransport}),
 * errors come back as the same FerryExceptions the server raised. How folders reach the server and
 * bundles come back is a {@link DataPath}: the local server reads and writes this machine's folders
 * itself; to a remote one the data travels ({@link BlobWire}).
 */
public final class HttpFerry implements FerryApi {
    private final HttpTransport http;
    private final BlobWire blobs;
    private final DataPath data;
    private volatile java.time.Duration reconnectPatience = java.time.Duration.ZERO;

    /** A client of the local server, which reads and writes this machine's folders itself. */
    public HttpFerry(String serverUrl, String token) {
        this.http = new HttpTransport(serverUrl, token);
        this.blobs = new BlobWire(http);
        this.data = new DataPath.ServerPaths(http);
    }

    private HttpFerry(String serverUrl, String token, Path uploadCache) {
        this.http = new HttpTransport(serverUrl, token);
        this.blobs = new BlobWire(http);
        this.data = new DataPath.Travelling(http, new RemoteBlobStore(blobs), uploadCache);
    }

    /**
     * A client of a remote server: folders are uploaded to it (missing blobs only) before their runs are
     * submitted, with the stat caches in {@code uploadCache} so an unchanged file is not read twice.
     */
    public static HttpFerry remote(String serverUrl, String token, Path uploadCache) {
        return new HttpFerry(serverUrl, token, java.util.Objects.requireNonNull(uploadCache));
    }

    /** The server's blob routes. */
    BlobWire blobWire() {
        return blobs;
    }

    public String url() {
        return http.base();
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
        return data.download(request, listener);
    }

    @Override
    public DownloadOutcome downloadFile(String repo, BundleRef ref, String path, Path destination, boolean force) {
        return data.downloadFile(repo, ref, path, destination, force);
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
        return data.update(repo, ref, destination, listener);
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
    public dev.ferry.core.auth.LoginTickets.Issued loginTicket() {
        return call("POST", "/ui/tickets", java.util.Map.of(), type(dev.ferry.core.auth.LoginTickets.Issued.class));
    }

    /** The server's address, as given (without /api/v1): where its web UI is. */
    public String serverUrl() {
        String base = http.base();
        return base.substring(0, base.length() - "/api/v1".length());
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

    @Override
    public dev.ferry.core.model.DatasetStats datasetStats(String table, BundleRef version) {
        return call("GET", "/datasets/" + seg(table) + "/stats" + (version == null ? "" : "?version=" + query(refText(version))),
                null, type(dev.ferry.core.model.DatasetStats.class));
    }

    @Override
    public dev.ferry.core.model.RowsPage rowsPage(String table, BundleRef version, dev.ferry.core.model.RowsPage.Query query) {
        StringBuilder path = new StringBuilder("/datasets/" + seg(table) + "/page?offset=" + query.offset() + "&limit=" + query.limit());
        if (version != null) {
            path.append("&version=").append(query(refText(version)));
        }
        if (!query.columns().isEmpty()) {
            path.append("&columns=").append(query(String.join(",", query.columns())));
        }
        if (query.where() != null) {
            path.append("&where=").append(query(query.where()));
        }
        return call("GET", path.toString(), null, type(dev.ferry.core.model.RowsPage.class));
    }

    @Override
    public dev.ferry.core.model.RowsDiff rowsDiff(String table, BundleRef from, BundleRef to, dev.ferry.core.model.RowsDiff.Query query) {
        StringBuilder path = new StringBuilder("/datasets/" + seg(table) + "/diff?from=" + query(refText(from)) + "&to="
                + query(refText(to)) + "&offset=" + query.offset() + "&limit=" + query.limit());
        if (query.kind() != null) {
            path.append("&kind=").append(query.kind().name());
        }
        return call("GET", path.toString(), null, type(dev.ferry.core.model.RowsDiff.class));
    }

    @Override
    public InputStream openRowsParquet(Ingestion ingestion) {
        return stream("GET", "/datasets/" + seg(ingestion.repo()) + "/rows?format=parquet&version=" + query(ingestion.bundleId()));
    }

    // ---------------------------------------------------------------- runs

    @Override
    public Submission submit(RunSpec spec, String idempotencyKey) {
        HttpTransport.Reply reply = http.send("POST", "/runs", new Wire.SubmitRun(spec, idempotencyKey));
        return new Submission(HttpTransport.read(reply, type(Run.class)), reply.status() == 201);
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
        long lostSince = 0; // nanoTime of the first failed reconnect in a row
        while (true) {
            EventStreamReader.Outcome outcome;
            try (InputStream body = stream("GET", "/runs/" + seg(id) + "/events/stream", "Last-Event-ID",
                    Long.toString(seen))) {
                outcome = EventStreamReader.read(body, sink);
            } catch (IOException e) {
                outcome = new EventStreamReader.Outcome(EventStreamReader.End.DROPPED, -1);
            } catch (FerryException e) {
                lostSince = lostSince == 0 ? System.nanoTime() : lostSince;
                if (e.code() != ErrorCode.UNREACHABLE || !keepReconnecting(++reconnects, lostSince)) {
                    throw e;
                }
                Thread.sleep(Math.min(200L * reconnects, 2_000));
                continue;
            }
            if (outcome.lastSeq() > seen) {
                seen = outcome.lastSeq();
                reconnects = 0;
                lostSince = 0;
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
                    lostSince = lostSince == 0 ? System.nanoTime() : lostSince;
                    if (!keepReconnecting(++reconnects, lostSince)) {
                        throw new FerryException(ErrorCode.UNREACHABLE, "lost the event stream of run " + id,
                                "reattach with 'ferry runs watch " + id + "'");
                    }
                    Thread.sleep(Math.min(200L * reconnects, 2_000));
                }
            }
        }
    }

    /** Five tries at least; more while the server may be coming back ({@link #reconnectingFor}). */
    private boolean keepReconnecting(int reconnects, long lostSinceNanos) {
        return reconnects <= 5 || System.nanoTime() - lostSinceNanos < reconnectPatience.toNanos();
    }

    /**
     * Keeps reconnecting a watch for this long after its server went away: a cluster's server pod that
     * is replaced comes back (another pod, the run taken up) within its lease and readiness.
     */
    public HttpFerry reconnectingFor(java.time.Duration patience) {
        this.reconnectPatience = patience;
        return this;
    }

    /** A worker's report on its run ({@code POST /runs/{id}/worker}); returns whether the run was asked to stop. */
    public boolean report(String runId, dev.ferry.core.run.WorkerReport report) {
        Wire.WorkerAnswer answer = call("POST", "/runs/" + seg(runId) + "/worker", report, type(Wire.WorkerAnswer.class));
        return answer != null && answer.cancelled();
    }

    @Override
    public Wire.StoreCheck checkStore() {
        return call("GET", "/store", null, type(Wire.StoreCheck.class));
    }

    @Override
    public void copyWorkerLog(String id, boolean follow, java.io.OutputStream out) throws IOException {
        try (InputStream body = stream("GET", "/runs/" + seg(id) + "/worker/log?follow=" + follow)) {
            byte[] buffer = new byte[8192];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush(); // each line as the worker writes it
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
    public void close() {
        // nothing held: HttpURLConnection keeps idle connections for the process
    }

    // ---------------------------------------------------------------- uploads

    @Override
    public RunSpec stage(RunSpec spec, TransferListener listener) {
        return data.stage(spec, listener);
    }

    // ---------------------------------------------------------------- HTTP

    private <T> T call(String method, String path, Object body, JavaType type) {
        return http.call(method, path, body, type);
    }

    private InputStream stream(String method, String path, String... headers) {
        return http.stream(method, path, null, headers);
    }

    private FerryException unreachable(IOException e) {
        return http.unreachable(e);
    }

    static String bundlePath(String repo, BundleRef ref) {
        return "/repos/" + seg(repo) + "/bundles/" + seg(refText(ref));
    }

    static String refText(BundleRef ref) {
        return switch (ref) {
            case BundleRef.ById id -> id.id();
            case BundleRef.ByLabel label -> label.label();
        };
    }

    static String absolute(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }
}
