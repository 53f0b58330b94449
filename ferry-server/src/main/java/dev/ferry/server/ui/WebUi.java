package dev.ferry.server.ui;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.auth.Grant;
import dev.ferry.core.auth.LoginTickets;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.ingest.Category;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.DatasetStats;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.Label;
import dev.ferry.core.model.Names;
import dev.ferry.core.model.RowsDiff;
import dev.ferry.core.model.RowsPage;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunEvent;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The web UI at {@code /ui/} ({@code /} leads there): server-rendered pages (jte templates, src/main/jte)
 * over the same in-process API the HTTP routes call: datasets, a table's versions and label histogram,
 * a version's rows 100 at a time with image thumbnails and filters, the rows diff of two versions, and
 * runs with a live page (server-sent events). A browser logs in with a one-time link from
 * {@code ferry ui} or with a token; its session cookie then stands for that token (re-checked on every
 * request) and reaches the API's reads too, for the event stream and the export links.
 */
public final class WebUi implements AutoCloseable {
    static final int PAGE_ROWS = 100;
    private static final Set<String> STATIC_FILES = Set.of("ferry.css", "run.js");

    private final LocalFerry ferry;
    private final Function<LoginTickets.Credential, Optional<Grant>> grants;
    private final UiSessions sessions = new UiSessions();
    private final Thumbnails thumbnails;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    /** Label histograms by rows-table digest: a version never changes, and the rows page shows its histogram each time. */
    private final Map<String, List<DatasetStats.LabelCount>> labelCounts = lastUsed(64);
    /** Statistics by rows-table digest, for the table's page. */
    private final Map<String, DatasetStats> stats = lastUsed(32);
    /**
     * The files of the versions whose thumbnails were asked for lately, by path: a page asks for 100 at
     * once, and each would otherwise read the version's manifest again. Versions never change.
     */
    private final Map<String, Map<String, FileEntry>> versionFiles = lastUsed(4);

    /** A thread-safe map that keeps the {@code most} entries used last. */
    private static <V> Map<String, V> lastUsed(int most) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > most;
            }
        });
    }
    /** Versions with more files than this are looked up in their manifest file by file instead. */
    private static final long MAX_LISTED_FILES = 200_000;

    /** @param grants what a logged-in credential may do now (empty: no longer valid) */
    public WebUi(LocalFerry ferry, Function<LoginTickets.Credential, Optional<Grant>> grants) {
        this.ferry = ferry;
        this.grants = grants;
        this.thumbnails = new Thumbnails(ferry.home().thumbnailCacheDir(), ferry.derivedBlobs(), ferry::openFile);
    }

    /** The grant of the browser's session, if it has a valid one (the API's reads accept it too). */
    public Optional<Grant> sessionGrant(Context ctx) {
        return sessions.credential(ctx.cookie(UiSessions.COOKIE)).flatMap(grants);
    }

    public void register(RoutesConfig r) {
        r.get("/", ctx -> ctx.redirect("/ui/"));
        r.get("/ui/static/{file}", this::staticFile);
        r.get("/ui/login", this::loginPage);
        r.post("/ui/login", this::login);
        r.post("/ui/logout", ctx -> {
            sessions.close(ctx.cookie(UiSessions.COOKIE));
            ctx.header("Set-Cookie", UiSessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            ctx.redirect("/ui/login");
        });
        r.get("/ui/", page("datasets", (ctx, grant) -> render(ctx, "datasets.jte", new Views.DatasetsPage(frame("Datasets", grant,
                "datasets"), ferry.listDatasets().stream().filter(d -> grant.allows(d.table(), false)).toList()))));
        r.get("/ui/datasets/{table}", page("datasets", this::datasetPage));
        r.get("/ui/datasets/{table}/rows", page("datasets", this::rowsPage));
        r.get("/ui/datasets/{table}/diff", page("datasets", this::diffPage));
        r.get("/ui/thumbnails/{table}/{version}", page("datasets", this::thumbnail));
        r.get("/ui/runs", page("runs", (ctx, grant) -> render(ctx, "runs.jte", new Views.RunsPage(frame("Runs", grant, "runs"),
                ferry.listRuns(200).stream().filter(run -> mayRead(grant, run))
                        .sorted(java.util.Comparator.comparing(Run::createdAt).reversed()).toList()))));
        r.get("/ui/runs/{id}", page("runs", this::runPage));
    }

    @FunctionalInterface
    private interface PageHandler {
        void handle(Context ctx, Grant grant) throws Exception;
    }

    /** A page behind the login: without a valid session the browser goes to the login page and comes back. */
    private Handler page(String section, PageHandler handler) {
        return ctx -> {
            Optional<Grant> grant = sessionGrant(ctx);
            if (grant.isEmpty()) {
                String back = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
                ctx.redirect("/ui/login?next=" + Views.q(back));
                return;
            }
            ctx.header("Cache-Control", "no-store");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
            try {
                handler.handle(ctx, grant.get());
            } catch (FerryException e) {
                int status = e.code().httpStatus();
                ctx.status(status);
                render(ctx, "error.jte", new Views.ErrorPage(frame("Error", grant.get(), section), status, e.getMessage(), e.hint()));
            }
        };
    }

    /** The UI's page for a path it does not have. */
    public void notFound(Context ctx) {
        ctx.status(404);
        render(ctx, "error.jte", new Views.ErrorPage(frame("Not found", sessionGrant(ctx).orElse(null), null), 404,
                "There is no page at " + ctx.path(), null));
    }

    private void render(Context ctx, String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        ctx.html(out.toString());
    }

    private static Views.Frame frame(String title, Grant grant, String section) {
        return new Views.Frame(title, grant == null ? null : grant.who(), section);
    }

    // ---------------------------------------------------------------- login

    private void loginPage(Context ctx) {
        String ticket = ctx.queryParam("ticket");
        if (ticket != null) {
            Optional<LoginTickets.Credential> credential = ferry.loginTickets().redeem(ticket)
                    .filter(c -> grants.apply(c).isPresent());
            if (credential.isPresent()) {
                startSession(ctx, credential.get(), "/ui/");
                return;
            }
            ctx.status(401);
            render(ctx, "login.jte", new Views.LoginPage(frame("Log in", null, null),
                    "This login link was used already or has expired (links are good once, for 2 minutes): run 'ferry ui' again.",
                    "/ui/"));
            return;
        }
        render(ctx, "login.jte", new Views.LoginPage(frame("Log in", null, null), null, safeNext(ctx.queryParam("next"))));
    }

    private void login(Context ctx) {
        String token = ctx.formParam("token");
        String next = safeNext(ctx.formParam("next"));
        LoginTickets.Credential credential = new LoginTickets.Credential(token == null ? "" : token.trim());
        if (token == null || token.isBlank() || grants.apply(credential).isEmpty()) {
            ctx.status(401);
            render(ctx, "login.jte", new Views.LoginPage(frame("Log in", null, null),
                    "That token is not valid for this server (unknown or revoked).", next));
            return;
        }
        startSession(ctx, credential, next);
    }

    private void startSession(Context ctx, LoginTickets.Credential credential, String next) {
        String id = sessions.open(credential);
        boolean https = "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        // HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it (no cross-site requests)
        ctx.header("Set-Cookie", UiSessions.COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict" + (https ? "; Secure" : ""));
        ctx.redirect(next);
    }

    /** Only a page of this UI: never another site (an open redirect) nor a scheme-relative URL. */
    private static String safeNext(String next) {
        return next != null && next.startsWith("/ui/") && !next.startsWith("//") && !next.contains("\\") ? next : "/ui/";
    }

    private void staticFile(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        if (!STATIC_FILES.contains(file)) {
            ctx.status(404).result("no such file");
            return;
        }
        try (InputStream in = WebUi.class.getResourceAsStream("static/" + file)) {
            ctx.contentType(file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
            ctx.header("Cache-Control", "max-age=300");
            ctx.result(in.readAllBytes());
        }
    }

    // ---------------------------------------------------------------- datasets

    private static String table(Context ctx, Grant grant) {
        String table = Names.checkRepo(ctx.pathParam("table"));
        if (!grant.allows(table, false)) {
            throw new FerryException(ErrorCode.FORBIDDEN, grant.who() + " may not read table '" + table + "'",
                    "log in with a token whose --tables matches it");
        }
        return table;
    }

    private static BundleRef version(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : BundleRef.parse(v);
    }

    private void datasetPage(Context ctx, Grant grant) {
        String table = table(ctx, grant);
        List<Ingestion> versions = new ArrayList<>(ferry.listIngestions(table));
        Collections.reverse(versions); // newest first
        Map<String, List<String>> labels = new HashMap<>();
        for (Label l : ferry.listLabels(table)) {
            labels.computeIfAbsent(l.bundleId(), k -> new ArrayList<>()).add(l.name());
        }
        Map<String, Bundle> bundles = new HashMap<>();
        for (Bundle b : ferry.listBundles(table)) {
            bundles.put(b.id(), b);
        }
        List<Views.VersionRow> rows = versions.stream().map(i -> {
            Bundle b = bundles.get(i.bundleId());
            return new Views.VersionRow(i.bundleId(), b == null ? "" : b.message(), b == null ? "" : b.author().name(),
                    i.createdAt(), labels.getOrDefault(i.bundleId(), List.of()), i.rowCount(), b == null ? 0 : b.fileCount(),
                    b == null ? 0 : b.totalBytes());
        }).toList();
        DatasetStats stats = versions.isEmpty() ? null : stats(table, versions.get(0));
        render(ctx, "dataset.jte", new Views.DatasetPage(frame(table, grant, "datasets"), table,
                versions.isEmpty() ? "" : versions.get(0).category(), rows, stats));
    }

    /** A version's statistics (one pass of the engine over its table), kept while it is among the last few shown. */
    private DatasetStats stats(String table, Ingestion ingestion) {
        return stats.computeIfAbsent(ingestion.rowsManifest().hex(),
                k -> ferry.datasetStats(table, BundleRef.id(ingestion.bundleId())));
    }

    private List<DatasetStats.LabelCount> labelCounts(Ingestion ingestion) {
        return labelCounts.computeIfAbsent(ingestion.rowsManifest().hex(), k -> ferry.labelCounts(ingestion));
    }

    private void rowsPage(Context ctx, Grant grant) {
        long started = System.nanoTime();
        String table = table(ctx, grant);
        Ingestion ingestion = ferry.getIngestion(table, version(ctx, "version"));
        String label = blankToNull(ctx.queryParam("label"));
        String where = blankToNull(ctx.queryParam("where"));
        long offset = offset(ctx);
        String filter = where;
        if (label != null) {
            String byLabel = "label = " + dev.ferry.core.rows.ParquetRows.literal(label); // parsed and its value bound, like any filter
            filter = where == null ? byLabel : "(" + where + ") AND " + byLabel;
        }
        List<DatasetStats.LabelCount> labels = ingestion.columns().contains("label") ? labelCounts(ingestion) : List.of();
        RowsPage page;
        String error = null;
        try {
            page = ferry.rowsPage(table, BundleRef.id(ingestion.bundleId()), new RowsPage.Query(filter, List.of(), offset, PAGE_ROWS));
        } catch (FerryException e) {
            if (e.code() != ErrorCode.INVALID_ARGUMENT) {
                throw e;
            }
            error = e.getMessage() + (e.hint() == null ? "" : " — " + e.hint());
            page = new RowsPage(table, ingestion.bundleId(), ingestion.columns(), 0, offset, List.of());
        }
        Function<String, String> thumbnailOf = thumbnailUrls(table, ingestion);
        int fileColumn = page.columns().indexOf("filename");
        List<List<Views.Cell>> cells = new ArrayList<>();
        for (List<Object> row : page.rows()) {
            List<Views.Cell> r = new ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                String text = row.get(i) == null ? "" : String.valueOf(row.get(i));
                r.add(new Views.Cell(text, i == fileColumn && thumbnailOf != null ? thumbnailOf.apply(text) : null));
            }
            cells.add(r);
        }
        Thumbnails.Build build = thumbnailOf == null ? null : buildThumbnails(table, ingestion);
        long millis = (System.nanoTime() - started) / 1_000_000;
        ctx.header("Server-Timing", "rows;dur=" + millis);
        render(ctx, "rows.jte", new Views.RowsPageView(frame(table, grant, "datasets"), table, ingestion.bundleId(),
                page.columns(), cells, page.total(), offset, PAGE_ROWS, label, where, labels,
                ingestion.rowCount(), error, millis, build == null ? null : Views.ThumbnailsStatus.of(build)));
    }

    /**
     * How a row's file name becomes its thumbnail's URL, for the image categories (null otherwise): the
     * file is in the category's data folder under the dataset root, literally {@code images/} (ingest.v1).
     * A name given without its extension is completed by the thumbnail's route.
     */
    private Function<String, String> thumbnailUrls(String table, Ingestion ingestion) {
        Category category = Category.parse(ingestion.category());
        if (category.family() != Category.Family.IMAGE) {
            return null;
        }
        String base = "/ui/thumbnails/" + Views.seg(table) + "/" + Views.seg(ingestion.bundleId()) + "?path=";
        return name -> name.isEmpty() ? null : base + Views.q(category.dataFolder() + "/" + name);
    }

    /** Has the rest of an image version's thumbnails made in the background: paging on finds them made. */
    private Thumbnails.Build buildThumbnails(String table, Ingestion ingestion) {
        String folder = Category.parse(ingestion.category()).dataFolder() + "/";
        BundleRef version = BundleRef.id(ingestion.bundleId());
        return thumbnails.buildAll(table + "/" + ingestion.bundleId(), () -> ferry.getBundle(table, version).fileCount(), () -> {
            List<FileEntry> images = new ArrayList<>();
            ferry.listFiles(table, version, f -> {
                if (f.path().startsWith(folder)) {
                    images.add(f);
                }
            });
            return images;
        });
    }

    /** Stores the thumbnails made and not stored yet. */
    @Override
    public void close() {
        thumbnails.close();
    }

    private void thumbnail(Context ctx, Grant grant) throws IOException {
        String table = table(ctx, grant);
        String path = ctx.queryParam("path");
        if (path == null || path.isBlank()) {
            throw FerryException.invalid("which file? ?path= is required", null);
        }
        BundleRef version = BundleRef.id(ctx.pathParam("version"));
        Function<String, Optional<FileEntry>> find = files(table, version);
        Optional<FileEntry> file = find.apply(path);
        for (int i = 0; file.isEmpty() && i < EXTENSIONS.size(); i++) {
            file = find.apply(path + EXTENSIONS.get(i)); // a name given without its extension (the extension column)
        }
        Optional<Thumbnails.Thumbnail> thumbnail = file.isEmpty() ? Optional.empty() : thumbnails.of(file.get());
        if (thumbnail.isEmpty()) {
            ctx.status(404).contentType("text/plain").result("no image at " + path);
            return;
        }
        // a version never changes: the browser may keep it
        ctx.header("Cache-Control", "private, max-age=86400, immutable");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Server-Timing", "thumbnail;desc=" + thumbnail.get().origin().id()); // disk, pending, store or made
        ctx.contentType(thumbnail.get().contentType()).result(thumbnail.get().bytes());
    }

    private static final List<String> EXTENSIONS = List.of(".jpeg", ".jpg", ".png", ".JPG", ".JPEG", ".PNG");

    /** A version's files by path: listed once while the version is among the last few asked for. */
    private Function<String, Optional<FileEntry>> files(String table, BundleRef version) {
        if (version instanceof BundleRef.ById id) {
            Map<String, FileEntry> listed = versionFiles.get(table + "/" + id.id());
            if (listed != null) {
                return p -> Optional.ofNullable(listed.get(p)); // the next thumbnails of a page: no catalog query
            }
        }
        Bundle bundle = ferry.getBundle(table, version);
        if (bundle.fileCount() > MAX_LISTED_FILES) {
            return ferry.fileFinder(table, version);
        }
        Map<String, FileEntry> byPath = versionFiles.computeIfAbsent(table + "/" + bundle.id(), k -> {
            Map<String, FileEntry> all = new HashMap<>();
            ferry.listFiles(table, BundleRef.id(bundle.id()), f -> all.put(f.path(), f));
            return all;
        });
        return p -> Optional.ofNullable(byPath.get(p));
    }

    private void diffPage(Context ctx, Grant grant) {
        String table = table(ctx, grant);
        BundleRef from = version(ctx, "from");
        BundleRef to = version(ctx, "to");
        if (from == null || to == null) {
            throw FerryException.invalid("a diff needs two versions: ?from= and ?to=", "pick them on the table's page");
        }
        RowsDiff.Kind kind = RowsDiff.Query.kind(ctx.queryParam("kind"));
        RowsDiff diff = ferry.rowsDiff(table, from, to, new RowsDiff.Query(kind, offset(ctx), PAGE_ROWS));
        Ingestion was = ferry.getIngestion(table, BundleRef.id(diff.from()));
        Ingestion is = ferry.getIngestion(table, BundleRef.id(diff.to()));
        Function<String, String> before = thumbnailUrls(table, was);
        Function<String, String> after = thumbnailUrls(table, is);
        List<Views.ChangeView> changes = new ArrayList<>();
        for (RowsDiff.Change c : diff.changes()) {
            Map<String, Object> shown = c.after() != null ? c.after() : c.before();
            List<String[]> values = new ArrayList<>();
            for (String column : shown.keySet()) {
                if (column.equals("data_id")) {
                    continue;
                }
                boolean changed = c.columns().contains(column);
                if (c.kind() == RowsDiff.Kind.changed && !changed) {
                    continue; // a changed record shows what changed (and its file)
                }
                values.add(new String[] {column, c.before() == null ? null : text(c.before().get(column)),
                        c.after() == null ? null : text(c.after().get(column))});
            }
            if (c.kind() == RowsDiff.Kind.changed && shown.containsKey("filename") && !c.columns().contains("filename")) {
                String name = text(shown.get("filename"));
                values.add(0, new String[] {"filename", name, name}); // the same file: shown as it is
            }
            changes.add(new Views.ChangeView(c.kind().name(), c.dataId(), values,
                    thumb(before, c.before()), thumb(after, c.after())));
        }
        render(ctx, "diff.jte", new Views.DiffPage(frame(table + " diff", grant, "datasets"), table, diff, changes,
                kind == null ? null : kind.name()));
    }

    private static String thumb(Function<String, String> urls, Map<String, Object> row) {
        if (urls == null || row == null || row.get("filename") == null) {
            return null;
        }
        return urls.apply(String.valueOf(row.get("filename")));
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    // ---------------------------------------------------------------- runs

    private void runPage(Context ctx, Grant grant) {
        String id = Names.checkRunId(ctx.pathParam("id"));
        Run run = ferry.getRun(id);
        if (!mayRead(grant, run)) {
            throw new FerryException(ErrorCode.FORBIDDEN, grant.who() + " may not see run " + id, null);
        }
        List<LoggedEvent> events = ferry.runEvents(id, 0);
        RunEvent.Progress last = null;
        List<String> log = new ArrayList<>();
        long lastSeq = 0;
        for (LoggedEvent e : events) {
            lastSeq = Math.max(lastSeq, e.seq());
            switch (e.event()) {
                case RunEvent.Progress p -> last = p;
                case RunEvent.Log l -> log.add(l.level() + ": " + l.message());
                case RunEvent.StateChanged s when s.message() != null && !s.message().isBlank() ->
                        log.add(s.state().id() + ": " + s.message());
                default -> { }
            }
        }
        boolean done = run.state() == dev.ferry.core.run.RunState.COMPLETED || run.state() == dev.ferry.core.run.RunState.DELEGATED;
        int percent = done ? 100 : last == null ? 0 : RunProgress.percent(last);
        String result = run.result() == null ? "" : RunProgress.describeResult(run.result());
        render(ctx, "run.jte", new Views.RunPage(frame("Run " + id, grant, "runs"), run, percent,
                last == null ? run.state().id() : RunProgress.describe(last), log, lastSeq, result));
    }

    // ---------------------------------------------------------------- parameters

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static long offset(Context ctx) {
        return dev.ferry.server.Responses.longParam(ctx, "offset", 0, 0, Long.MAX_VALUE);
    }

    /** A run is seen by the admin, and by a token that may read its table (a run not yet planned has none). */
    private static boolean mayRead(Grant grant, Run run) {
        return grant.admin() || (run.target() != null && grant.allows(run.target(), false));
    }
}
