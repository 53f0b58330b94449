package dev.ferry.core.api;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.PackedBlobStore;
import dev.ferry.core.catalog.BundleCommit;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.catalog.CommitResult;
import dev.ferry.core.catalog.JdbcCatalog;
import dev.ferry.core.catalog.LabelCondition;
import dev.ferry.core.catalog.StoreJournal;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryConfig;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.home.StoreLock;
import dev.ferry.core.maint.FsckReport;
import dev.ferry.core.maint.Fsck;
import dev.ferry.core.maint.GarbageCollector;
import dev.ferry.core.maint.GcReport;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.SingleFile;
import dev.ferry.core.model.Author;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.DiffEntry;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.Ids;
import dev.ferry.core.model.Label;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.model.Names;
import dev.ferry.core.model.Repo;
import dev.ferry.core.pack.LocalPackStore;
import dev.ferry.core.pack.PackStore;
import dev.ferry.core.run.EventSink;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Orchestrator;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunContext;
import dev.ferry.core.run.RunOwner;
import dev.ferry.core.run.RunSpec;
import dev.ferry.core.run.RunState;
import dev.ferry.core.run.Submission;
import dev.ferry.core.run.ThreadPoolRunExecutor;
import dev.ferry.core.transfer.BundleDiffer;
import dev.ferry.core.transfer.DownloadOutcome;
import dev.ferry.core.transfer.Downloader;
import dev.ferry.core.transfer.TransferListener;
import dev.ferry.core.transfer.UpdateOutcome;
import dev.ferry.core.transfer.UploadOutcome;
import dev.ferry.core.transfer.Uploader;
import dev.ferry.core.transfer.Updater;
import dev.ferry.core.transfer.StagedUpload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The in-process {@link FerryApi}: the catalog, packs and blob store of one FERRY_HOME. */
public final class LocalFerry implements FerryApi {
    public static final String LATEST = "latest";
    /** Uploads wait this long for a running gc; gc waits this long for uploads before giving up. */
    private static final Duration SHARED_WAIT = Duration.ofMinutes(10);
    private static final Duration EXCLUSIVE_WAIT = Duration.ofSeconds(5);

    private final FerryHome home;
    private final Author author;
    private final Catalog catalog;
    private final PackStore packs;
    private final BlobStore blobs;
    private final StoreLock lock;
    private final int parallelism;
    /** Runs at once; more wait their turn (runs on one table always take turns). */
    private final int runThreads;
    private Orchestrator orchestrator;
    /** Who runs this store's runs: this process, until {@link #startRunsAsServer} says it is the home's server. */
    private RunOwner runOwner = RunOwner.thisProcess();
    /** How many runs nobody ran any more the orchestrator settled when it started. */
    private int settledAtStart;

    /** The shortest gc grace period on a PostgreSQL catalog, which several servers may share. */
    static final Duration SHARED_MIN_GRACE = Duration.ofMinutes(10);

    /** The environment variable that names the catalog (a JDBC URL); it wins over catalog.url. */
    public static final String CATALOG_ENV = "FERRY_CATALOG";

    /** The environment variable that names the pack store; it wins over store.url. */
    public static final String STORE_ENV = "FERRY_STORE";

    /**
     * Set (even to "") by a process that must use the home's own settings whatever FERRY_STORE says:
     * the launcher's training run works in a throw-away home and must not write to the user's bucket.
     */
    public static final String STORE_PROPERTY = "ferry.store";

    /** The home's pack store: FERRY_STORE, else store.url, else the folder FERRY_HOME/store. */
    public static PackStore openPacks(FerryHome home, FerryConfig config) {
        String env = System.getProperty(STORE_PROPERTY, System.getenv(STORE_ENV));
        String url = env != null && !env.isBlank() ? env : config.get("store.url");
        try {
            return dev.ferry.core.pack.PackStores.open(url, home.storeDir(), home.spoolDir());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot open the store " + (url == null ? home.storeDir() : url)
                    + ": " + e.getMessage(), url == null ? "check that FERRY_HOME (" + home.root() + ") is writable"
                            : "check the store URL, the endpoint (AWS_ENDPOINT_URL) and the credentials", e);
        }
    }

    public LocalFerry(FerryHome home, Author author, Catalog catalog, PackStore packs, BlobStore blobs,
            int parallelism) {
        this.home = home;
        this.author = author;
        this.catalog = catalog;
        this.packs = packs;
        this.blobs = blobs;
        this.lock = StoreLock.of(home.storeLockFile());
        this.parallelism = parallelism;
        this.runThreads = Math.max(4, parallelism);
    }

    /** Opens the store of a FERRY_HOME: its configured catalog (SQLite by default) and local packs. */
    public static LocalFerry open(FerryHome home) {
        FerryConfig config = FerryConfig.load(home.configFile());
        // the environment wins over config.yaml, so that `ferry serve` runs unchanged in a container
        String catalogEnv = System.getenv(CATALOG_ENV);
        String url = catalogEnv != null && !catalogEnv.isBlank() ? catalogEnv : config.get("catalog.url");
        PackStore packs = openPacks(home, config);
        StoreJournal journal = new StoreJournal(packs);
        if (url == null && !Files.exists(home.catalogFile()) && !journal.isEmpty()) {
            // a fresh empty catalog would hide every dataset the store still holds
            throw new FerryException(ErrorCode.DATA_CORRUPT, "the catalog " + home.catalogFile() + " is missing, but the"
                    + " store records " + journal.size() + " catalog changes",
                    "run 'ferry catalog rebuild' to restore it from the store");
        }
        Catalog catalog = url == null ? JdbcCatalog.sqlite(home.catalogFile()) : JdbcCatalog.open(url, null, null);
        try {
            if (journal.isEmpty()) {
                // a catalog from before the journal (or whose journal was lost): journal what it holds, once
                new dev.ferry.core.maint.JournalCheck(catalog, journal).run(true, dev.ferry.core.maint.JournalCheck.Problems.IGNORE);
            }
        } catch (RuntimeException e) {
            catalog.close();
            throw e;
        }
        catalog.journalTo(journal);
        int cores = Runtime.getRuntime().availableProcessors();
        return new LocalFerry(home, config.author(), catalog, packs, new PackedBlobStore(packs, catalog), cores);
    }

    public Catalog catalog() {
        return catalog;
    }

    public PackStore packs() {
        return packs;
    }

    // ---------------------------------------------------------------- repos

    @Override
    public Repo createRepo(String name, String description) {
        Names.checkRepo(name);
        return catalog.createRepo(name, description == null ? "" : description, author, Instant.now());
    }

    @Override
    public List<Repo> listRepos() {
        return catalog.listRepos();
    }

    @Override
    public Repo getRepo(String name) {
        Names.checkRepo(name);
        return catalog.findRepo(name).orElseThrow(() -> unknownRepo(name));
    }

    @Override
    public void deleteRepo(String name, boolean force) {
        Repo repo = getRepo(name);
        if (repo.bundleCount() > 0 && !force) {
            throw new FerryException(ErrorCode.CONFLICT, "repo '" + name + "' has " + repo.bundleCount() + " bundles",
                    "pass --force to delete it with its bundles and labels; 'ferry gc' then reclaims the space");
        }
        catalog.deleteRepo(name);
    }

    private static FerryException unknownRepo(String name) {
        return FerryException.notFound("repo '" + name + "' does not exist",
                "create it with 'ferry repo create --repo " + name + " --description ...', or see 'ferry repo list'");
    }

    // ---------------------------------------------------------------- bundles

    /** The upload itself, inside a run (or directly, with a detached context). */
    UploadResult uploadNow(UploadRequest request, RunContext ctx) {
        return uploadNow(request, null, ctx);
    }

    /**
     * An upload of a folder this process reads ({@code staged} null), or the commit of one a client
     * already uploaded (its manifest and every blob it names must be stored here; they are checked).
     */
    UploadResult uploadNow(UploadRequest request, UploadOutcome staged, RunContext ctx) {
        List<String> labels = movedBy(request.label());
        long started = System.nanoTime();
        prepareStaging(request, staged, ctx);
        try (StoreLock.Held held = lock.shared(SHARED_WAIT)) {
            UploadOutcome outcome = stage(request, staged, ctx);
            // the last safe point: after the commit the bundle exists
            ctx.checkCancelled();
            ctx.enter(RunState.EXECUTING, "committing the bundle");
            CommitResult commit = commit(request.repo(), request.message() == null ? "" : request.message(),
                    outcome, labels, false, null);
            return new UploadResult(commit.bundle(), commit.created(), outcome, commit.moves(),
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * What comes before {@link #stage}, outside the store lock: the checks of names, the claim on the
     * repo, and the move to STAGING (a run waiting for gc to finish shows that it waits to store).
     */
    void prepareStaging(UploadRequest request, UploadOutcome staged, RunContext ctx) {
        Names.checkRepo(request.repo());
        if (request.label() != null) {
            Names.checkLabel(request.label()); // before the upload, not after it
        }
        getRepo(request.repo());
        ctx.claim(request.repo(), request.path().toString());
        ctx.enter(RunState.STAGING, staged == null ? "storing " + request.path()
                : "checking the uploaded data of " + request.path());
    }

    /**
     * Stores a folder (or checks a client's upload of one) without committing anything: afterwards its
     * manifest and every blob it names are stored. The caller holds the store shared until it commits,
     * which keeps gc from removing them meanwhile.
     */
    UploadOutcome stage(UploadRequest request, UploadOutcome staged, RunContext ctx) {
        // an upload deduplicates only against copies whose pack is there (PackPresence), so what it
        // commits is stored; a client's upload is checked blob by blob
        return staged == null ? new Uploader(blobs, home.statCacheDir(), parallelism).upload(request.path(), ctx.transfers())
                : StagedUpload.verify(blobs, staged, ctx.transfers());
    }

    /**
     * Commits a staged folder as a bundle of {@code repo} (or finds the newest bundle of the same files,
     * unless {@code alwaysNew}) with its rows table if it is a dataset version, and moves latest and
     * {@code label} to it, in one catalog transaction.
     */
    CommitResult commitVersion(String repo, String message, UploadOutcome staged, String label, boolean alwaysNew,
            Ingestion ingestion) {
        return commit(repo, message, staged, movedBy(label), alwaysNew, ingestion);
    }

    /** The labels a commit moves: latest, and the one asked for. */
    private static List<String> movedBy(String label) {
        List<String> labels = new ArrayList<>(List.of(LATEST));
        if (label != null) {
            labels.add(Names.checkLabel(label));
        }
        return labels;
    }

    private CommitResult commit(String repo, String message, UploadOutcome staged, List<String> labels,
            boolean alwaysNew, Ingestion ingestion) {
        Instant now = Instant.now();
        return catalog.commit(new BundleCommit(Ids.newId(now), repo, message, author, now, staged.manifest().fileCount(),
                staged.manifest().totalBytes(), staged.manifest().root(), labels, alwaysNew, ingestion));
    }

    /**
     * Stores a client's pack upload ({@link dev.ferry.core.pack.BlobFrames}): every blob is checked
     * against its digest and the whole upload is stored, or on any error (a bad digest, a body cut
     * short) none of it. The blobs stay unreferenced until a run commits a bundle naming them; gc's grace
     * period keeps them meanwhile.
     */
    public Wire.PackReceipt storeBlobs(java.io.InputStream body) throws IOException {
        try (StoreLock.Held held = lock.shared(SHARED_WAIT); dev.ferry.core.blob.BlobWriter writer = blobs.newWriter()) {
            dev.ferry.core.blob.PutBatch batch = new dev.ferry.core.blob.PutBatch(writer, 1 << 20);
            int count = dev.ferry.core.pack.BlobFrames.read(body, batch::add);
            batch.flush();
            writer.flush();
            return new Wire.PackReceipt(count, writer.newBlobs(), writer.newBytes(), writer.packsWritten());
        }
    }

    /** One blob's bytes, verified, for a remote client's download. */
    public byte[] readBlob(dev.ferry.core.model.Digest digest) {
        return blobs.read(digest);
    }

    /**
     * Many blobs in one answer, for a remote client's download ({@code POST /blobs/read}): at most
     * {@link dev.ferry.core.pack.BlobFrames#MAX_BLOBS} blobs and
     * {@link dev.ferry.core.pack.BlobFrames#MAX_BYTES} of frames, all of them stored (NOT_FOUND names the
     * first that is not), checked before {@code body} is asked for; then written as BlobFrames, each
     * blob verified as it is read.
     */
    public void readBlobs(List<dev.ferry.core.model.Digest> digests, java.util.function.Supplier<java.io.OutputStream> body)
            throws IOException {
        if (digests.size() > dev.ferry.core.pack.BlobFrames.MAX_BLOBS) {
            throw FerryException.invalid("at most " + dev.ferry.core.pack.BlobFrames.MAX_BLOBS + " blobs per read, not "
                    + digests.size(), "ask in several requests");
        }
        try (StoreLock.Held held = lock.shared(SHARED_WAIT)) {
            var located = blobs.locate(digests);
            long bytes = 0;
            for (var d : digests) {
                var where = located.get(d);
                if (where == null) {
                    throw FerryException.notFound("blob " + d + " is not in this server's store",
                            "check the digest; 'ferry fsck' on the server lists damaged bundles");
                }
                bytes += dev.ferry.core.pack.BlobFrames.frameSize(where.length());
            }
            if (bytes > dev.ferry.core.pack.BlobFrames.MAX_BYTES) {
                throw FerryException.invalid("these blobs are " + (bytes >> 20) + " MiB; one read answers at most "
                        + (dev.ferry.core.pack.BlobFrames.MAX_BYTES >> 20) + " MiB", "ask in several requests");
            }
            java.io.OutputStream out = body.get();
            dev.ferry.core.pack.BlobFrames.writeMagic(out);
            for (var d : digests) {
                dev.ferry.core.pack.BlobFrames.writeFrame(out, d, blobs.read(located.get(d)));
            }
            out.flush();
        }
    }

    /**
     * Which of these blobs a client must send: those the store does not hold, or holds in a pack that
     * is gone (recorded as damaged, so that they are stored again).
     */
    public List<dev.ferry.core.model.Digest> missingBlobs(List<dev.ferry.core.model.Digest> digests) {
        java.util.Set<dev.ferry.core.model.Digest> present = blobs.present(digests);
        return digests.stream().filter(d -> !present.contains(d)).toList();
    }

    /** Whether a committed bundle has this manifest (so an unchanged folder needs no upload at all). */
    public boolean hasManifest(dev.ferry.core.model.Digest root) {
        return blobs.containsManifest(root);
    }

    @Override
    public List<Bundle> listBundles(String repo) {
        Names.checkRepo(repo);
        return catalog.listBundles(repo);
    }

    @Override
    public Bundle getBundle(String repo, BundleRef ref) {
        getRepo(repo);
        return switch (ref) {
            case BundleRef.ById byId -> catalog.findBundle(repo, Names.checkBundleId(byId.id()))
                    .orElseThrow(() -> FerryException.notFound("bundle " + byId.id() + " does not exist in repo '"
                            + repo + "'", "see 'ferry bundle list --repo " + repo + "'"));
            case BundleRef.ByLabel byLabel -> {
                Label label = getLabel(repo, byLabel.label());
                yield catalog.findBundle(repo, label.bundleId()).orElseThrow();
            }
        };
    }

    @Override
    public Bundle listFiles(String repo, BundleRef ref, Consumer<FileEntry> sink) {
        Bundle bundle = getBundle(repo, ref);
        Manifest.open(blobs, bundle.manifest()).forEach(sink);
        return bundle;
    }

    @Override
    public DownloadOutcome download(DownloadRequest request, TransferListener listener) {
        Bundle bundle = getBundle(request.repo(), request.bundle());
        Predicate<String> filter = dev.ferry.core.transfer.NameFilter.of(request.nameFilter());
        try (StoreLock.Held held = lock.shared(SHARED_WAIT)) {
            return new Downloader(blobs, parallelism).download(Manifest.open(blobs, bundle.manifest()),
                    request.destination(), filter, request.force(), listener);
        }
    }

    @Override
    public DownloadOutcome downloadFile(String repo, BundleRef ref, String path, Path destination, boolean force) {
        Bundle bundle = getBundle(repo, ref);
        try (StoreLock.Held held = lock.shared(SHARED_WAIT)) {
            return new Downloader(blobs, parallelism).downloadFile(Manifest.open(blobs, bundle.manifest()), path,
                    destination, force);
        }
    }

    @Override
    public List<Bundle> diff(String repo, BundleRef from, BundleRef to, Consumer<DiffEntry> sink) {
        Bundle a = getBundle(repo, from);
        Bundle b = getBundle(repo, to);
        BundleDiffer.diff(Manifest.open(blobs, a.manifest()), Manifest.open(blobs, b.manifest()), sink);
        return List.of(a, b);
    }

    @Override
    public UpdateOutcome update(String repo, BundleRef ref, Path destination, TransferListener listener) {
        Bundle bundle = getBundle(repo, ref);
        try (StoreLock.Held held = lock.shared(SHARED_WAIT)) {
            return new Updater(blobs).update(Manifest.open(blobs, bundle.manifest()), destination, listener);
        }
    }

    // ---------------------------------------------------------------- labels

    @Override
    public LabelMove setLabel(String repo, String label, String bundleId, LabelCondition condition) {
        Names.checkRepo(repo);
        Names.checkLabel(label);
        Names.checkBundleId(bundleId);
        return catalog.setLabel(repo, label, bundleId, condition, author, Instant.now());
    }

    @Override
    public Label getLabel(String repo, String label) {
        getRepo(repo);
        return catalog.findLabel(repo, label).orElseThrow(() -> FerryException.notFound(
                "label '" + label + "' does not exist in repo '" + repo + "'",
                "see 'ferry label list --repo " + repo + "'"));
    }

    @Override
    public List<Label> listLabels(String repo) {
        Names.checkRepo(repo);
        return catalog.listLabels(repo);
    }

    @Override
    public List<LabelMove> labelHistory(String repo, String label) {
        Names.checkRepo(repo);
        return catalog.labelHistory(repo, label);
    }

    // ---------------------------------------------------------------- datasets

    /** The push itself, inside a run (or directly, with a detached context). */
    PushResult pushNow(PushRequest request, RunContext ctx) {
        return new Ingestor(this, blobs, catalog).push(request, null, ctx);
    }

    /** A push whose folder a client uploaded already: it is restored to a scratch folder and checked there. */
    PushResult pushStaged(PushRequest request, UploadOutcome staged, String configText, RunContext ctx) {
        return new Ingestor(this, blobs, catalog).pushStaged(request, staged, configText, home.scratchDir(), ctx);
    }

    // ---------------------------------------------------------------- runs

    /**
     * The orchestrator of this store's runs, started on first use; it settles the runs nobody runs
     * any more ({@link Orchestrator#recover}), never those of another live process.
     */
    public synchronized Orchestrator orchestrator() {
        if (orchestrator == null) {
            orchestrator = new Orchestrator(catalog, new LocalRunWorker(this), new ThreadPoolRunExecutor(runThreads),
                    runOwner);
            settledAtStart = orchestrator.recover();
        }
        return orchestrator;
    }

    /**
     * Starts this store's runs as the home's server (before any run): its runs are recorded as the
     * server's, and the runs a stopped server of this home left are settled. Returns how many.
     */
    public synchronized int startRunsAsServer() {
        if (orchestrator != null) {
            throw new IllegalStateException("the runs of this store started already");
        }
        runOwner = RunOwner.server(home.root());
        orchestrator();
        return settledAtStart;
    }

    @Override
    public Submission submit(RunSpec spec, String idempotencyKey) {
        return orchestrator().submit(spec, idempotencyKey);
    }

    @Override
    public Run getRun(String id) {
        return orchestrator().get(id);
    }

    @Override
    public List<Run> listRuns(int limit) {
        return orchestrator().list(limit);
    }

    @Override
    public List<LoggedEvent> runEvents(String id, long after) {
        return orchestrator().events(id, after);
    }

    @Override
    public boolean watchRun(String id, long after, EventSink sink) throws InterruptedException {
        return orchestrator().watch(id, after, sink);
    }

    @Override
    public Run cancelRun(String id) {
        return orchestrator().cancel(id);
    }

    /** Runs work that writes blobs it has not yet referenced, with gc kept away (as uploads are). */
    // ---------------------------------------------------------------- tokens

    private static final java.util.regex.Pattern TOKEN_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final java.util.regex.Pattern TABLES = java.util.regex.Pattern.compile("[A-Za-z0-9_*?]{1,63}");

    /** The tokens beside the catalog (null for a catalog that is not JDBC, which keeps none). */
    private volatile dev.ferry.core.auth.TokenStore tokens;

    private dev.ferry.core.auth.TokenStore tokens() {
        if (tokens == null && catalog instanceof JdbcCatalog jdbc) {
            tokens = new dev.ferry.core.auth.JdbcTokenStore(jdbc.dataSource(), jdbc.describe());
        }
        if (tokens == null) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "this catalog keeps no tokens", null);
        }
        return tokens;
    }

    @Override
    public Wire.CreatedToken createToken(String name, String tables, boolean readOnly) {
        if (name == null || !TOKEN_NAME.matcher(name).matches()) {
            throw FerryException.invalid("invalid token name '" + name + "'", "use 1-64 letters, digits, '.', '_' or '-'");
        }
        if (tables != null && !TABLES.matcher(tables).matches()) {
            throw FerryException.invalid("invalid table pattern '" + tables + "'",
                    "use table-name characters with * and ? as wildcards, e.g. 'team_*'");
        }
        String secret = dev.ferry.core.auth.Secrets.newSecret();
        return new Wire.CreatedToken(tokens().create(name, dev.ferry.core.auth.Secrets.hash(secret), tables, readOnly,
                Instant.now()), secret);
    }

    @Override
    public List<dev.ferry.core.auth.Token> listTokens() {
        return tokens().list();
    }

    @Override
    public dev.ferry.core.auth.Token revokeToken(String name) {
        return tokens().revoke(name, Instant.now());
    }

    /** What a bearer secret other than the server's own allows: a named token that is not revoked; else empty. */
    public java.util.Optional<dev.ferry.core.auth.Grant> grantOf(String secret) {
        if (!(catalog instanceof JdbcCatalog) || secret == null || secret.isEmpty()) {
            return java.util.Optional.empty();
        }
        return tokens().findByHash(dev.ferry.core.auth.Secrets.hash(secret)).filter(t -> !t.revoked())
                .map(dev.ferry.core.auth.Token::grant);
    }

    /** Where a server keeps its working copies (rows tables being written, uploaded datasets being checked). */
    Path scratchDir() {
        return home.scratchDir();
    }

    <T> T whileStoreShared(java.util.function.Supplier<T> work) {
        try (StoreLock.Held held = lock.shared(SHARED_WAIT)) {
            return work.get();
        }
    }

    @Override
    public List<dev.ferry.core.model.Dataset> listDatasets() {
        List<dev.ferry.core.model.Dataset> out = new ArrayList<>();
        for (Repo repo : catalog.listRepos()) {
            List<Ingestion> versions = catalog.listIngestions(repo.name());
            if (!versions.isEmpty()) {
                Ingestion newest = versions.get(versions.size() - 1);
                out.add(new dev.ferry.core.model.Dataset(repo.name(), newest.category(), repo.description(),
                        versions.size(), newest.bundleId(), newest.rowCount(), newest.createdAt()));
            }
        }
        return out;
    }

    @Override
    public List<Ingestion> listIngestions(String table) {
        getTable(table);
        return catalog.listIngestions(table);
    }

    /** A dataset table (a repo by another name), with messages in the dataset commands' words. */
    private Repo getTable(String table) {
        if (!Names.isRepo(table)) {
            throw FerryException.invalid("invalid table name '" + table + "'",
                    "a table name is letters, digits and _, starting with a letter or _ (see 'ferry dataset list')");
        }
        return catalog.findRepo(table).orElseThrow(() -> FerryException.notFound("no dataset table '" + table + "'",
                "'ferry dataset list' shows the tables; push one with 'ferry dataset push <folder> --table " + table + " ...'"));
    }

    @Override
    public Ingestion getIngestion(String table, BundleRef version) {
        getTable(table);
        if (version == null) {
            List<Ingestion> all = catalog.listIngestions(table);
            if (all.isEmpty()) {
                throw FerryException.notFound("table '" + table + "' has no ingested version",
                        "push one with 'ferry dataset push <folder> --table " + table + " ...'");
            }
            return all.get(all.size() - 1);
        }
        Bundle bundle = getBundle(table, version);
        return catalog.findIngestion(table, bundle.id()).orElseThrow(() -> FerryException.notFound(
                "version " + bundle.id() + " of table '" + table + "' was uploaded but not ingested",
                "see 'ferry dataset versions " + table + "'"));
    }

    @Override
    public java.io.InputStream openRows(Ingestion ingestion) {
        return SingleFile.open(blobs, ingestion.rowsManifest());
    }

    // ---------------------------------------------------------------- maintenance

    @Override
    public FsckReport fsck(boolean readData, boolean repair, Consumer<String> progress) {
        try (StoreLock.Held held = lock.shared(SHARED_WAIT)) {
            return new Fsck(packs, catalog, blobs).run(readData, repair, progress);
        }
    }

    @Override
    public GcReport gc(Duration grace, boolean dryRun, Consumer<String> progress) {
        if (grace.compareTo(SHARED_MIN_GRACE) < 0 && catalog.describe().startsWith("jdbc:postgresql")) {
            // the store lock is this machine's only: another server's upload is safe from gc only while
            // its blobs are younger than the grace period (until its bundle names them)
            throw FerryException.invalid("gc --grace " + grace.toSeconds() + "s is too short for a catalog that several"
                    + " servers may share (" + catalog.describe() + ")", "use --grace " + SHARED_MIN_GRACE.toMinutes()
                    + "m or more: other servers' uploads in progress are protected only by the grace period");
        }
        try (StoreLock.Held held = lock.exclusive(EXCLUSIVE_WAIT)) {
            return new GarbageCollector(packs, catalog, blobs, grace).run(dryRun, progress);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (orchestrator != null) {
                orchestrator.close();
            }
        }
        blobs.close();
        try {
            packs.close();
        } catch (IOException ignored) {
            // read channels only
        }
        catalog.close();
    }
}
