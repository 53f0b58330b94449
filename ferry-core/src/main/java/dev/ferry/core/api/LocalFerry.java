package dev.ferry.core.api;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.PackedBlobStore;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.catalog.LabelCondition;
import dev.ferry.core.catalog.StoreJournal;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryConfig;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.home.StoreLock;
import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.store.Store;
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
import dev.ferry.core.model.Label;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.model.Names;
import dev.ferry.core.model.Repo;
import dev.ferry.core.pack.PackStore;
import dev.ferry.core.run.EventSink;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Orchestrator;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunContext;
import dev.ferry.core.run.RunOwner;
import dev.ferry.core.run.RunSpec;
import dev.ferry.core.run.Submission;
import dev.ferry.core.run.ThreadPoolRunExecutor;
import dev.ferry.core.transfer.BundleDiffer;
import dev.ferry.core.transfer.DownloadOutcome;
import dev.ferry.core.transfer.Downloader;
import dev.ferry.core.transfer.TransferListener;
import dev.ferry.core.transfer.UpdateOutcome;
import dev.ferry.core.transfer.UploadOutcome;
import dev.ferry.core.transfer.Updater;
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
    public static final String LATEST = BundleCommitter.LATEST;

    private final FerryHome home;
    private final Author author;
    private final JdbcDatabase database;
    private final Store store;
    /** Shorthands for the store's parts, used on almost every line. */
    private final Catalog catalog;
    private final BlobStore blobs;
    private final BundleCommitter committer;
    private final BlobService blobService;
    private final int parallelism;
    private final dev.ferry.core.home.FileCache rowsCache;
    private final dev.ferry.core.auth.LoginTickets loginTickets = new dev.ferry.core.auth.LoginTickets();
    /** How much disk the cached Parquet files of rows tables may take before the least used go. */
    static final long ROWS_CACHE_BYTES = 2L << 30;
    /** Runs at once; more wait their turn (runs on one table always take turns). */
    private final int runThreads;
    private Orchestrator orchestrator;
    /** Where runs execute: null for this process's threads. */
    private dev.ferry.core.run.RunExecutor executor;
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

    public LocalFerry(FerryHome home, Author author, JdbcDatabase database, PackStore packs, BlobStore blobs,
            int parallelism) {
        this.home = home;
        this.author = author;
        this.database = database;
        this.store = new Store(database.catalog(), database.blobIndex(), packs, blobs, StoreLock.of(home.storeLockFile()));
        this.catalog = store.catalog();
        this.blobs = blobs;
        this.committer = new BundleCommitter(store, author, home.statCacheDir(), parallelism);
        this.blobService = new BlobService(store);
        this.parallelism = parallelism;
        this.runThreads = Math.max(4, parallelism);
        this.rowsCache = new dev.ferry.core.home.FileCache(home.rowsCacheDir(), ".parquet", ROWS_CACHE_BYTES);
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
        JdbcDatabase database = url == null ? JdbcDatabase.sqlite(home.catalogFile()) : JdbcDatabase.open(url, null, null);
        Catalog catalog = database.catalog();
        try {
            if (journal.isEmpty()) {
                // a catalog from before the journal (or whose journal was lost): journal what it holds, once
                new dev.ferry.core.maint.JournalCheck(catalog, journal).run(true, dev.ferry.core.maint.JournalCheck.Problems.IGNORE);
            }
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        catalog.journalTo(journal);
        int cores = Runtime.getRuntime().availableProcessors();
        return new LocalFerry(home, config.author(), database, packs,
                new PackedBlobStore(packs, database.blobIndex(), catalog), cores);
    }

    /** This home's store: catalog, blob index, packs and lock. */
    public Store store() {
        return store;
    }

    /** Runs, their events, and the claims servers sharing the catalog take turns by. */
    dev.ferry.core.run.RunLog runLog() {
        return database.runLog();
    }

    /** What the server's blob routes do with this store. */
    public BlobService blobService() {
        return blobService;
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
        return committer.upload(request, staged, ctx);
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

    /** Files of a bundle by path, each found by reading only the manifest page that can hold it. */
    public java.util.function.Function<String, java.util.Optional<FileEntry>> fileFinder(String repo, BundleRef ref) {
        Manifest manifest = Manifest.open(blobs, getBundle(repo, ref).manifest());
        return manifest::find;
    }

    /** A stored file's content, verified chunk by chunk as it is read. */
    public java.io.InputStream openFile(FileEntry file) {
        return SingleFile.content(blobs, file);
    }

    @Override
    public DownloadOutcome download(DownloadRequest request, TransferListener listener) {
        Bundle bundle = getBundle(request.repo(), request.bundle());
        Predicate<String> filter = dev.ferry.core.transfer.NameFilter.of(request.nameFilter());
        try (StoreLock.Held held = store.shared()) {
            return new Downloader(blobs, parallelism).download(Manifest.open(blobs, bundle.manifest()),
                    request.destination(), filter, request.force(), listener);
        }
    }

    @Override
    public DownloadOutcome downloadFile(String repo, BundleRef ref, String path, Path destination, boolean force) {
        Bundle bundle = getBundle(repo, ref);
        try (StoreLock.Held held = store.shared()) {
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
        try (StoreLock.Held held = store.shared()) {
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
        return new Ingestor(store, committer, home.scratchDir(), rowsCache).push(request, null, ctx);
    }

    /** A push whose folder a client uploaded already: it is restored to a scratch folder and checked there. */
    PushResult pushStaged(PushRequest request, UploadOutcome staged, String configText, RunContext ctx) {
        return new Ingestor(store, committer, home.scratchDir(), rowsCache).pushStaged(request, staged, configText, home.scratchDir(), ctx);
    }

    // ---------------------------------------------------------------- runs

    /**
     * The orchestrator of this store's runs, started on first use; it settles the runs nobody runs
     * any more ({@link Orchestrator#recover}), never those of another live process.
     */
    public synchronized Orchestrator orchestrator() {
        if (orchestrator == null) {
            orchestrator = new Orchestrator(database.runLog(), new LocalRunWorker(this),
                    executor != null ? executor : new ThreadPoolRunExecutor(runThreads), runOwner);
            settledAtStart = orchestrator.recover();
        }
        return orchestrator;
    }

    /**
     * The server over this store stops: workers elsewhere waiting on it (for their run's turn) are told to
     * report to the next server, which takes their runs up. Runs here go on until {@link #close}.
     */
    public synchronized void stopServing() {
        if (orchestrator != null) {
            orchestrator.stopServing();
        }
    }

    /**
     * Runs this store's runs on {@code executor} instead of this process's threads (a cluster's server:
     * a Kubernetes Job each). Before any run.
     */
    public synchronized void runOn(dev.ferry.core.run.RunExecutor executor) {
        if (orchestrator != null) {
            throw new IllegalStateException("the runs of this store started already");
        }
        this.executor = executor;
    }

    /**
     * A run's work, done in this process for a run the server of this store holds (a Job's worker:
     * {@code ferry worker --run ID}); it reports through {@code ctx}.
     */
    public dev.ferry.core.run.RunOutcome work(RunSpec spec, RunContext ctx) {
        return new LocalRunWorker(this).run(spec, ctx);
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

    @Override
    public Wire.StoreCheck checkStore() {
        database.catalog().listRepos(); // the catalog answers a query
        try {
            store.packs().probe();
        } catch (java.io.IOException e) {
            throw new FerryException(ErrorCode.STORAGE_FAILED, "the packs at " + store.packs().describe()
                    + " do not answer: " + e.getMessage(), "check the store's location and credentials (FERRY_STORE,"
                    + " the ferry-s3 Secret in a cluster), then 'ferry doctor' again");
        }
        return new Wire.StoreCheck(database.describe(), store.packs().describe());
    }

    @Override
    public void copyWorkerLog(String id, boolean follow, java.io.OutputStream out) throws java.io.IOException {
        orchestrator().workerLog(id).copyTo(out, follow);
    }

    // ---------------------------------------------------------------- tokens

    private static final java.util.regex.Pattern TOKEN_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final java.util.regex.Pattern TABLES = java.util.regex.Pattern.compile("[A-Za-z0-9_*?]{1,63}");

    /** The tokens, in the catalog's database. */
    private volatile dev.ferry.core.auth.TokenStore tokens;

    private dev.ferry.core.auth.TokenStore tokens() {
        if (tokens == null) {
            tokens = new dev.ferry.core.auth.JdbcTokenStore(database.dataSource(), database.describe());
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
        if (secret == null || secret.isEmpty()) {
            return java.util.Optional.empty();
        }
        return tokens().findByHash(dev.ferry.core.auth.Secrets.hash(secret)).filter(t -> !t.revoked())
                .map(dev.ferry.core.auth.Token::grant);
    }

    /** Where a server keeps its working copies (rows tables being written, uploaded datasets being checked). */
    Path scratchDir() {
        return home.scratchDir();
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
    public java.io.InputStream openRowsParquet(Ingestion ingestion) {
        if (dev.ferry.core.rows.ParquetRows.FILE.equals(SingleFile.name(blobs, ingestion.rowsManifest()))) {
            // the stored file byte for byte, every chunk verified: an export does not trust the local copy
            return SingleFile.open(blobs, ingestion.rowsManifest());
        }
        return onRows(ingestion, java.nio.file.Files::newInputStream); // a table stored before Parquet: converted
    }

    /** A read of a version's rows file; an I/O failure is said in the rows' words. */
    @FunctionalInterface
    private interface RowsRead<T> {
        T read(Path rowsFile) throws java.io.IOException;
    }

    private <T> T onRows(Ingestion ingestion, RowsRead<T> read) {
        try {
            return read.read(rowsFile(ingestion));
        } catch (java.io.IOException e) {
            throw rowsUnreadable(ingestion, e);
        }
    }

    /**
     * The version's rows as a Parquet file on this server's disk ({@link dev.ferry.core.home.FileCache}):
     * restored from the store on first use; a table stored before Parquet is converted then.
     */
    public Path rowsFile(Ingestion ingestion) {
        try {
            return rowsCache.file(ingestion.rowsManifest().hex(), out -> {
                try (java.io.InputStream stored = SingleFile.open(blobs, ingestion.rowsManifest())) {
                    if (dev.ferry.core.rows.ParquetRows.FILE.equals(SingleFile.name(blobs, ingestion.rowsManifest()))) {
                        stored.transferTo(out);
                    } else {
                        dev.ferry.core.ingest.RowsExport.write(stored, ingestion.columns(),
                                dev.ferry.core.ingest.RowsExport.schemaTypes(ingestion), dev.ferry.core.ingest.RowsExport.Format.PARQUET, out);
                    }
                }
            });
        } catch (java.io.IOException e) {
            throw rowsUnreadable(ingestion, e);
        }
    }

    private FerryException rowsUnreadable(Ingestion ingestion, java.io.IOException e) {
        return new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot read the rows of " + ingestion.repo() + ": " + e.getMessage(),
                "check the space in " + home.rowsCacheDir() + " and " + home.scratchDir(), e);
    }

    @Override
    public dev.ferry.core.model.DatasetStats datasetStats(String table, BundleRef version) {
        Ingestion ingestion = getIngestion(table, version);
        return onRows(ingestion, file -> dev.ferry.core.rows.RowsStats.of(table, ingestion.bundleId(), file, home.scratchDir()));
    }

    /** A version's label histogram alone (most frequent first), without the other statistics' passes. */
    public List<dev.ferry.core.model.DatasetStats.LabelCount> labelCounts(Ingestion ingestion) {
        return onRows(ingestion, file -> dev.ferry.core.rows.RowsStats.labels(file, home.scratchDir()));
    }

    /** This server's FERRY_HOME. */
    public FerryHome home() {
        return home;
    }

    /** Blobs made from stored content (the UI's thumbnails), shared by every server of this store. */
    public dev.ferry.core.store.DerivedBlobs derivedBlobs() {
        return new dev.ferry.core.store.DerivedBlobs(store);
    }

    @Override
    public dev.ferry.core.model.RowsPage rowsPage(String table, BundleRef version, dev.ferry.core.model.RowsPage.Query query) {
        Ingestion ingestion = getIngestion(table, version);
        return onRows(ingestion, file -> dev.ferry.core.rows.RowsPages.read(table, ingestion.bundleId(), ingestion.columns(),
                query, file, home.scratchDir()));
    }

    /** The UI's login tickets: the server redeems what its API and in-process commands issue. */
    public dev.ferry.core.auth.LoginTickets loginTickets() {
        return loginTickets;
    }

    /** In process, the caller is the server's own user: the ticket stands for the server's admin token. */
    @Override
    public dev.ferry.core.auth.LoginTickets.Issued loginTicket() {
        return loginTickets.issue(dev.ferry.core.auth.LoginTickets.Credential.SERVER_OWNER);
    }

    @Override
    public dev.ferry.core.model.RowsDiff rowsDiff(String table, BundleRef from, BundleRef to,
            dev.ferry.core.model.RowsDiff.Query query) {
        Ingestion was = getIngestion(table, from);
        Ingestion is = getIngestion(table, to);
        Path before = rowsFile(was);
        return onRows(is, after -> dev.ferry.core.rows.RowsDiffer.diff(table, was.bundleId(), before, is.bundleId(), after, query,
                home.scratchDir()));
    }

    @Override
    public java.io.InputStream openRows(Ingestion ingestion) {
        if (!dev.ferry.core.rows.ParquetRows.FILE.equals(SingleFile.name(blobs, ingestion.rowsManifest()))) {
            return SingleFile.open(blobs, ingestion.rowsManifest()); // a table stored before Parquet: JSON Lines
        }
        Path parquet = rowsFile(ingestion);
        return throughScratchFile(".jsonl", out -> dev.ferry.core.rows.ParquetRows.copyAsJsonLines(parquet, out, home.scratchDir()));
    }

    @FunctionalInterface
    private interface ScratchFiller {
        void accept(java.io.OutputStream out) throws java.io.IOException;
    }

    /** What {@code fill} writes, in a scratch file read once and deleted when its reader closes. */
    private java.io.InputStream throughScratchFile(String suffix, ScratchFiller fill) {
        try {
            Path scratch = home.scratchDir();
            java.nio.file.Files.createDirectories(scratch);
            Path file = java.nio.file.Files.createTempFile(scratch, "rows-", suffix);
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
                fill.accept(out);
            } catch (java.io.IOException | RuntimeException e) {
                java.nio.file.Files.deleteIfExists(file);
                throw e;
            }
            return new java.io.FilterInputStream(java.nio.file.Files.newInputStream(file,
                    java.nio.file.StandardOpenOption.DELETE_ON_CLOSE)) {};
        } catch (java.io.IOException e) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot read the rows table: " + e.getMessage(),
                    "check the space in " + home.scratchDir(), e);
        }
    }

    // ---------------------------------------------------------------- maintenance

    @Override
    public FsckReport fsck(boolean readData, boolean repair, Consumer<String> progress) {
        try (StoreLock.Held held = store.shared()) {
            return new Fsck(store).run(readData, repair, progress);
        }
    }

    @Override
    public GcReport gc(Duration grace, boolean dryRun, Consumer<String> progress) {
        if (grace.compareTo(SHARED_MIN_GRACE) < 0 && database.isShared()) {
            // the store lock is this machine's only: another server's upload is safe from gc only while
            // its blobs are younger than the grace period (until its bundle names them)
            throw FerryException.invalid("gc --grace " + grace.toSeconds() + "s is too short for a catalog that several"
                    + " servers may share (" + catalog.describe() + ")", "use --grace " + SHARED_MIN_GRACE.toMinutes()
                    + "m or more: other servers' uploads in progress are protected only by the grace period");
        }
        try (StoreLock.Held held = store.exclusive(); GcTurn turn = GcTurn.take(database.runLog(), runOwner)) {
            return new GarbageCollector(store, grace).run(dryRun, progress);
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
            store.packs().close();
        } catch (IOException ignored) {
            // read channels only
        }
        database.close();
    }
}
