package dev.ferry.server;

import static dev.ferry.server.Responses.body;
import static dev.ferry.server.Responses.json;

import dev.ferry.core.FerryVersion;
import dev.ferry.core.api.DownloadRequest;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.api.Wire;
import dev.ferry.core.catalog.LabelCondition;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.ingest.IngestSchema;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.DiffEntry;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.Json;
import dev.ferry.core.model.Names;
import dev.ferry.core.pack.BlobFrames;
import dev.ferry.core.run.Submission;
import dev.ferry.core.transfer.TransferListener;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every route of {@code /api/v1} (docs/http-api.yaml), each a thin call into the in-process API. */
final class ApiRoutes {
    static final String BASE = "/api/v1";

    private final LocalFerry ferry;
    private final boolean localPaths;
    private final Runnable shutdown;

    ApiRoutes(LocalFerry ferry, boolean localPaths, Runnable shutdown) {
        this.ferry = ferry;
        this.localPaths = localPaths;
        this.shutdown = shutdown;
    }

    /** Every route as "METHOD /api/v1/path", in registration order (the OpenAPI test compares them). */
    final List<String> routes = new ArrayList<>();

    /** The routes a client may call without a token (docs/http-api.yaml says "security: []" for them). */
    static final java.util.Set<String> PUBLIC = java.util.Set.of("GET " + BASE + "/health", "GET " + BASE + "/version",
            "GET " + BASE + "/openapi.yaml");
    /** A pack upload: BlobFrames' limit and its frame headers, with room to spare. */
    static final long PACK_BODY_LIMIT = BlobFrames.MAX_BYTES + (long) BlobFrames.MAX_BLOBS * 64 + (1 << 20);

    /** Routes only the server's admin token may call: they manage the whole server. */
    static final java.util.Set<String> ADMIN = java.util.Set.of("POST " + BASE + "/server/shutdown", "POST " + BASE + "/fsck",
            "POST " + BASE + "/gc", "POST " + BASE + "/tokens", "POST " + BASE + "/runs/{id}/worker", "GET " + BASE + "/tokens", "DELETE " + BASE + "/tokens/{name}");
    /** Routes that read although their method is POST (they take a body). */
    private static final java.util.Set<String> POSTED_READS = java.util.Set.of("/blobs/read", "/blobs/check",
            "/repos/{repo}/bundles/{ref}/download", "/repos/{repo}/bundles/{ref}/download-file",
            "/repos/{repo}/bundles/{ref}/update", "/ui/tickets");

    private void route(RoutesConfig r, String method, String path, io.javalin.http.Handler handler) {
        route(r, method, path, Responses.JSON_BODY_LIMIT, handler);
    }

    /**
     * Registers a route whose body may hold at most {@code bodyLimit} bytes (refused before reading),
     * behind the access check its method and path imply (Access).
     */
    private void route(RoutesConfig r, String method, String path, long bodyLimit, io.javalin.http.Handler handler) {
        String route = method + " " + BASE + path;
        routes.add(route);
        boolean write = !method.equals("GET") && !POSTED_READS.contains(path);
        boolean admin = ADMIN.contains(route);
        boolean open = PUBLIC.contains(route);
        io.javalin.http.Handler limited = ctx -> {
            if (!open) {
                Access.check(ctx, admin, write);
            }
            Responses.limitBody(ctx, bodyLimit);
            handler.handle(ctx);
        };
        switch (method) {
            case "GET" -> r.get(BASE + path, limited);
            case "POST" -> r.post(BASE + path, limited);
            case "PUT" -> r.put(BASE + path, limited);
            case "DELETE" -> r.delete(BASE + path, limited);
            default -> throw new IllegalArgumentException(method);
        }
    }

    void register(RoutesConfig r) {
        route(r, "GET", "/health", ctx -> json(ctx, new Wire.Health("ok", FerryVersion.current(),
                ProcessHandle.current().pid(), ferry.orchestrator().activeRuns(), ferry.orchestrator().executorName())));
        route(r, "GET", "/version", ctx -> json(ctx, new Wire.Version(FerryVersion.current(), FerryVersion.API,
                FerryVersion.STORAGE_FORMAT, IngestSchema.API_VERSIONS)));
        route(r, "GET", "/openapi.yaml", ctx -> {
            try (InputStream doc = ApiRoutes.class.getResourceAsStream("http-api.yaml")) {
                if (doc == null) {
                    throw new FerryException(ErrorCode.INTERNAL, "this build has no API description", "rebuild Ferry");
                }
                ctx.status(200).contentType("application/yaml").result(doc.readAllBytes());
            }
        });
        route(r, "POST", "/server/shutdown", this::shutdown);

        route(r, "GET", "/repos", ctx -> json(ctx, ferry.listRepos().stream()
                .filter(repo -> Access.grant(ctx).allows(repo.name(), false)).toList()));
        route(r, "POST", "/repos", ctx -> {
            Wire.CreateRepo req = body(ctx, Wire.CreateRepo.class);
            Access.table(ctx, req.name(), true);
            json(ctx, 201, ferry.createRepo(req.name(), req.description()));
        });
        route(r, "GET", "/repos/{repo}", ctx -> json(ctx, ferry.getRepo(repo(ctx))));
        route(r, "DELETE", "/repos/{repo}", ctx -> {
            ferry.deleteRepo(repo(ctx), "true".equals(ctx.queryParam("force")));
            ctx.status(204);
        });
        route(r, "GET", "/repos/{repo}/bundles", ctx -> json(ctx, ferry.listBundles(repo(ctx))));
        route(r, "GET", "/repos/{repo}/bundles/{ref}", ctx -> json(ctx, ferry.getBundle(repo(ctx), ref(ctx))));
        route(r, "GET", "/repos/{repo}/bundles/{ref}/files", this::files);
        route(r, "POST", "/repos/{repo}/bundles/{ref}/download", ctx -> {
            Wire.Download req = body(ctx, Wire.Download.class);
            json(ctx, ferry.download(new DownloadRequest(repo(ctx), ref(ctx), localPath(req.destination(), "destination"),
                    req.nameFilter(), req.force()), TransferListener.NONE));
        });
        route(r, "POST", "/repos/{repo}/bundles/{ref}/download-file", ctx -> {
            Wire.DownloadFile req = body(ctx, Wire.DownloadFile.class);
            json(ctx, ferry.downloadFile(repo(ctx), ref(ctx), req.path(), localPath(req.destination(), "destination"),
                    req.force()));
        });
        route(r, "POST", "/repos/{repo}/bundles/{ref}/update", ctx -> {
            Wire.Update req = body(ctx, Wire.Update.class);
            json(ctx, ferry.update(repo(ctx), ref(ctx), localPath(req.destination(), "destination"),
                    TransferListener.NONE));
        });
        route(r, "GET", "/repos/{repo}/diff", ctx -> {
            List<DiffEntry> changes = new ArrayList<>();
            var pair = ferry.diff(repo(ctx), requiredRef(ctx, "from"), requiredRef(ctx, "to"), changes::add);
            json(ctx, new Wire.Diff(pair.get(0), pair.get(1), changes));
        });
        route(r, "GET", "/repos/{repo}/labels", ctx -> json(ctx, ferry.listLabels(repo(ctx))));
        route(r, "GET", "/repos/{repo}/labels/{label}", ctx -> json(ctx, ferry.getLabel(repo(ctx), label(ctx))));
        route(r, "PUT", "/repos/{repo}/labels/{label}", ctx -> {
            Wire.SetLabel req = body(ctx, Wire.SetLabel.class);
            LabelCondition condition = req.expect() == null ? LabelCondition.ANY
                    : req.expect().equals("absent") ? LabelCondition.ABSENT : LabelCondition.pointsTo(req.expect());
            json(ctx, ferry.setLabel(repo(ctx), label(ctx), req.bundle(), condition));
        });
        route(r, "GET", "/repos/{repo}/labels/{label}/history", ctx -> json(ctx, ferry.labelHistory(repo(ctx), label(ctx))));
        route(r, "GET", "/repos/{repo}/label-history", ctx -> json(ctx, ferry.labelHistory(repo(ctx), null)));

        route(r, "GET", "/datasets", ctx -> json(ctx, ferry.listDatasets().stream()
                .filter(d -> Access.grant(ctx).allows(d.table(), false)).toList()));
        route(r, "GET", "/datasets/{table}", ctx -> json(ctx, ingestion(ctx)));
        route(r, "DELETE", "/datasets/{table}", ctx -> {
            ferry.deleteRepo(table(ctx), true);
            ctx.status(204);
        });
        route(r, "GET", "/datasets/{table}/versions", ctx -> json(ctx, ferry.listIngestions(table(ctx))));
        route(r, "GET", "/datasets/{table}/page", ctx -> {
            String version = ctx.queryParam("version");
            String columns = ctx.queryParam("columns");
            var query = new dev.ferry.core.model.RowsPage.Query(ctx.queryParam("where"), columns == null || columns.isBlank() ? List.of()
                    : List.of(columns.split(",")), Responses.longParam(ctx, "offset", 0, 0, Long.MAX_VALUE),
                    (int) Responses.longParam(ctx, "limit", 100, 1, dev.ferry.core.model.RowsPage.Query.MAX_LIMIT));
            json(ctx, ferry.rowsPage(table(ctx), version == null || version.isBlank() ? null : BundleRef.parse(version), query));
        });
        route(r, "GET", "/datasets/{table}/stats", ctx -> {
            String version = ctx.queryParam("version");
            json(ctx, ferry.datasetStats(table(ctx), version == null || version.isBlank() ? null : BundleRef.parse(version)));
        });
        route(r, "GET", "/datasets/{table}/diff", ctx -> {
            var query = new dev.ferry.core.model.RowsDiff.Query(dev.ferry.core.model.RowsDiff.Query.kind(ctx.queryParam("kind")),
                    Responses.longParam(ctx, "offset", 0, 0, Long.MAX_VALUE),
                    (int) Responses.longParam(ctx, "limit", 100, 0, dev.ferry.core.model.RowsDiff.Query.MAX_LIMIT));
            json(ctx, ferry.rowsDiff(table(ctx), requiredRef(ctx, "from"), requiredRef(ctx, "to"), query));
        });
        route(r, "GET", "/datasets/{table}/rows", ctx -> {
            Ingestion ingestion = ingestion(ctx);
            String format = ctx.queryParam("format");
            if (format != null && !format.equals("jsonl") && !format.equals("parquet")) {
                throw FerryException.invalid("unknown rows format '" + format + "'", "use ?format=jsonl (the default) or parquet");
            }
            boolean parquet = "parquet".equals(format);
            ctx.status(200).contentType(parquet ? "application/vnd.apache.parquet" : "application/x-ndjson");
            try (InputStream rows = parquet ? ferry.openRowsParquet(ingestion) : ferry.openRows(ingestion)) {
                OutputStream out = ctx.res().getOutputStream();
                rows.transferTo(out);
                out.flush();
            }
        });

        route(r, "POST", "/runs", ctx -> {
            Wire.SubmitRun req = body(ctx, Wire.SubmitRun.class);
            Access.run(ctx, req.spec());
            if (req.spec() != null && req.spec().staged() == null && !localPaths) {
                throw new FerryException(ErrorCode.REJECTED, "this server does not read folders of its machine for clients",
                        "upload the data first (the ferry CLI does so with --server/FERRY_SERVER) and submit a staged spec");
            }
            Submission s = ferry.submit(req.spec(), req.idempotencyKey());
            json(ctx, s.created() ? 201 : 200, s.run());
        });
        route(r, "GET", "/runs", ctx -> json(ctx, ferry.listRuns((int) Responses.longParam(ctx, "limit", 50, 1, 1000))));
        route(r, "GET", "/runs/{id}", ctx -> json(ctx, ferry.getRun(runId(ctx))));
        route(r, "POST", "/runs/{id}/cancel", ctx -> json(ctx, 202, ferry.cancelRun(runId(ctx))));
        route(r, "GET", "/runs/{id}/events", ctx -> json(ctx, ferry.runEvents(runId(ctx), Responses.longParam(ctx, "after", 0, 0, Long.MAX_VALUE))));
        route(r, "GET", "/runs/{id}/events/stream", ctx -> EventStream.serve(ctx, ferry.orchestrator(), runId(ctx)));

        route(r, "GET", "/store", ctx -> json(ctx, ferry.checkStore()));
        route(r, "GET", "/runs/{id}/worker/log", ctx -> {
            var log = ferry.orchestrator().workerLog(runId(ctx)); // 404 before the stream starts
            ctx.status(200);
            ctx.res().setContentType("text/plain; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            OutputStream out = ctx.res().getOutputStream();
            out.flush(); // the status now: a followed log may be quiet for a while
            log.copyTo(out, "true".equals(ctx.queryParam("follow")));
        });
        route(r, "POST", "/runs/{id}/worker", ctx -> {
            String id = runId(ctx);
            dev.ferry.core.run.WorkerReport report = body(ctx, dev.ferry.core.run.WorkerReport.class);
            var task = ferry.orchestrator().liveTask(id);
            if (task.isEmpty()) {
                dev.ferry.core.run.Run run = ferry.getRun(id); // NOT_FOUND when there is no such run
                if (run.terminal()) {
                    throw new FerryException(ErrorCode.CONFLICT, "run " + id + " already ended (" + run.state().id() + ")",
                            "its worker stops: nothing more of it is wanted");
                }
                // its server stopped, and no server took it up yet (within its lease, FERRY_RUN_LEASE)
                throw new FerryException(ErrorCode.UNREACHABLE, "run " + id + " is not held by this server yet",
                        "the worker reports again: the server takes up a stopped server's runs when their lease runs out");
            }
            json(ctx, new Wire.WorkerAnswer(task.get().report(report)));
        });
        route(r, "POST", "/blobs/missing", ctx -> {
            Wire.Digests req = body(ctx, Wire.Digests.class);
            json(ctx, new Wire.Digests(ferry.blobService().missing(req.digests())));
        });
        route(r, "GET", "/blobs/{digest}", ctx -> {
            byte[] data = ferry.blobService().read(digest(ctx));
            ctx.status(200).contentType("application/octet-stream").result(data);
        });
        route(r, "POST", "/blobs/read", ctx -> {
            Wire.Digests req = body(ctx, Wire.Digests.class);
            ferry.blobService().read(req.digests(), () -> { // asked for once every blob is known to be there
                ctx.status(200).contentType("application/octet-stream");
                try {
                    return ctx.res().getOutputStream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        });
        route(r, "POST", "/blobs/check", ctx -> {
            Wire.Digests req = body(ctx, Wire.Digests.class);
            json(ctx, new Wire.Digests(ferry.blobService().check(req.digests())));
        });
        route(r, "POST", "/packs", PACK_BODY_LIMIT, ctx -> json(ctx, 201, ferry.blobService().store(ctx.req().getInputStream())));
        route(r, "GET", "/manifests/{digest}", ctx -> {
            Digest root = digest(ctx);
            json(ctx, new Wire.ManifestState(root, ferry.blobService().hasManifest(root)));
        });
        route(r, "POST", "/fsck", ctx -> {
            Wire.Fsck fsck = body(ctx, Wire.Fsck.class);
            json(ctx, ferry.fsck(fsck.readData(), fsck.repair(), line -> {}));
        });
        route(r, "POST", "/tokens", ctx -> {
            Wire.CreateToken req = body(ctx, Wire.CreateToken.class);
            json(ctx, 201, ferry.createToken(req.name(), req.tables(), req.readOnly()));
        });
        route(r, "GET", "/tokens", ctx -> json(ctx, ferry.listTokens()));
        route(r, "POST", "/ui/tickets", ctx -> {
            // the ticket stands for the caller's own bearer token: the UI session gets exactly its access
            String bearer = ctx.attribute(Access.BEARER);
            if (bearer == null) { // never a session's: a null credential would be the server's own
                throw new FerryException(ErrorCode.UNAUTHORIZED, "a login ticket is asked for with a bearer token", null);
            }
            json(ctx, 201, ferry.loginTickets().issue(new dev.ferry.core.auth.LoginTickets.Credential(bearer)));
        });
        route(r, "DELETE", "/tokens/{name}", ctx -> json(ctx, ferry.revokeToken(ctx.pathParam("name"))));
        route(r, "POST", "/gc", ctx -> {
            Wire.Gc req = body(ctx, Wire.Gc.class);
            json(ctx, ferry.gc(Duration.ofSeconds(req.graceSeconds()), req.dryRun(), line -> {}));
        });
    }

    private void files(Context ctx) throws IOException {
        // one FileEntry per line: a million-file bundle streams instead of becoming one huge document
        String repo = repo(ctx);
        BundleRef ref = ref(ctx);
        ferry.getBundle(repo, ref); // errors before the body starts
        ctx.status(200).contentType("application/x-ndjson");
        OutputStream out = ctx.res().getOutputStream();
        var writer = Json.MAPPER.writer();
        ferry.listFiles(repo, ref, f -> {
            try {
                out.write(writer.writeValueAsBytes(f));
                out.write('\n');
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        out.flush();
    }

    private void shutdown(Context ctx) {
        int active = ferry.orchestrator().activeRuns();
        if (active > 0 && !"true".equals(ctx.queryParam("force"))) {
            throw new FerryException(ErrorCode.CONFLICT, "the server has " + active + " active runs",
                    "wait for them ('ferry runs list'), or stop it anyway with --force");
        }
        json(ctx, 202, Map.of("stopping", true));
        Thread.ofPlatform().daemon().start(shutdown);
    }

    private Ingestion ingestion(Context ctx) {
        String version = ctx.queryParam("version");
        return ferry.getIngestion(table(ctx), version == null || version.isBlank() ? null : BundleRef.parse(version));
    }

    private Path localPath(String text, String field) {
        if (!localPaths) {
            throw new FerryException(ErrorCode.REJECTED, "this server does not write to paths of its machine for clients",
                    "download with a local server (unset FERRY_SERVER)");
        }
        if (text == null || text.isBlank() || !Path.of(text).isAbsolute()) {
            throw FerryException.invalid(field + " must be an absolute path, not '" + text + "'", null);
        }
        return Path.of(text);
    }

    private static String repo(Context ctx) {
        return Names.checkRepo(ctx.pathParam("repo"));
    }

    private static String table(Context ctx) {
        return Names.checkRepo(ctx.pathParam("table"));
    }

    private static String label(Context ctx) {
        return Names.checkLabel(ctx.pathParam("label"));
    }

    private static Digest digest(Context ctx) {
        try {
            return Digest.parse(ctx.pathParam("digest"));
        } catch (IllegalArgumentException e) {
            throw FerryException.invalid("not a digest: '" + ctx.pathParam("digest") + "'", "write sha256:<64 hex digits>");
        }
    }

    private static String runId(Context ctx) {
        return Names.checkRunId(ctx.pathParam("id"));
    }

    private static BundleRef ref(Context ctx) {
        return checked(BundleRef.parse(ctx.pathParam("ref")));
    }

    private static BundleRef requiredRef(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            throw FerryException.invalid("query parameter " + name + " is required (a bundle id or a label)", null);
        }
        return checked(BundleRef.parse(text));
    }

    private static BundleRef checked(BundleRef ref) {
        if (ref instanceof BundleRef.ByLabel l) {
            Names.checkLabel(l.label());
        }
        return ref;
    }
}
