package dev.ferry.core.api;

import dev.ferry.core.catalog.LabelCondition;
import dev.ferry.core.maint.FsckReport;
import dev.ferry.core.maint.GcReport;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.DiffEntry;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.model.Ingestion;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything a Ferry client can ask for. The CLI talks to this interface only: in-process through
 * {@link LocalFerry} (the server's own), over HTTP through the client module, with the same results.
 * Failures are {@link dev.ferry.core.error.FerryException}s.
 */
public interface FerryApi extends AutoCloseable {

    Repo createRepo(String name, String description);

    List<Repo> listRepos();

    Repo getRepo(String name);

    /** Deletes a repo with its bundles and labels. Refused (CONFLICT) when it has bundles, unless forced. */
    void deleteRepo(String name, boolean force);

    /**
     * Uploads a folder as a new bundle (or finds the identical existing one) and moves its labels: an
     * upload run, followed to its end.
     */
    default UploadResult upload(UploadRequest request, TransferListener listener) {
        RunSpec spec = new RunSpec.Upload(request.path().toAbsolutePath().normalize().toString(), request.repo(),
                request.message(), request.label());
        RunSpec staged = stage(spec, listener);
        // progress was the upload's when the data travelled first; the server's check of it is quick
        return RunFollower.follow(this, submit(staged, null), staged == spec ? listener : TransferListener.NONE,
                UploadResult.class);
    }

    /** A repo's bundles, oldest first. */
    List<Bundle> listBundles(String repo);

    Bundle getBundle(String repo, BundleRef ref);

    /** A bundle's files in path order, streamed. */
    Bundle listFiles(String repo, BundleRef ref, Consumer<FileEntry> sink);

    DownloadOutcome download(DownloadRequest request, TransferListener listener);

    DownloadOutcome downloadFile(String repo, BundleRef ref, String path, Path destination, boolean force);

    /** Streams the differences from one bundle to another; returns the two bundles compared. */
    List<Bundle> diff(String repo, BundleRef from, BundleRef to, Consumer<DiffEntry> sink);

    /** Makes {@code destination} hold exactly the bundle's files. */
    UpdateOutcome update(String repo, BundleRef ref, Path destination, TransferListener listener);

    LabelMove setLabel(String repo, String label, String bundleId, LabelCondition condition);

    Label getLabel(String repo, String label);

    List<Label> listLabels(String repo);

    List<LabelMove> labelHistory(String repo, String label);

    /**
     * Checks a dataset folder, uploads it as a new version of its table, and ingests its records: a
     * push run, followed to its end.
     */
    default PushResult push(PushRequest request, TransferListener listener) {
        RunSpec spec = PushRequest.spec(request);
        RunSpec staged = stage(spec, listener);
        return RunFollower.follow(this, submit(staged, null), staged == spec ? listener : TransferListener.NONE,
                PushResult.class);
    }

    /**
     * Makes a run's data reachable by the server that will run it, before it is submitted. A server on
     * this machine reads the folder itself: the spec is returned as it is. A remote one gets the folder's
     * blobs that it is missing, and a spec that names the uploaded manifest instead of the folder.
     */
    default RunSpec stage(RunSpec spec, TransferListener listener) {
        return spec;
    }

    // ---- runs

    /** Starts a run, or returns the run that holds the idempotency key already ({@code created} false). */
    Submission submit(RunSpec spec, String idempotencyKey);

    Run getRun(String id);

    /** The newest runs, oldest first. */
    List<Run> listRuns(int limit);

    /** A run's logged events after sequence number {@code after}, a page at a time. */
    List<LoggedEvent> runEvents(String id, long after);

    /**
     * Delivers a run's events after {@code after}, live, until its last event or until the sink says
     * stop; returns whether the run ended.
     */
    boolean watchRun(String id, long after, EventSink sink) throws InterruptedException;

    /**
     * Checks that the store answers — its catalog (a query) and its packs (one listing) — and says where
     * they are; STORAGE_FAILED with what keeps the packs from answering.
     */
    Wire.StoreCheck checkStore();

    /** Asks a running run to stop at its next safe point. */
    Run cancelRun(String id);

    /**
     * Copies the output of the process that does or did the run's work elsewhere (a Kubernetes Job's
     * pod log) to {@code out}; with {@code follow}, then the rest as it comes, until that process ends.
     * NOT_FOUND when the run has no such output (it ran on a server's threads, whose events are its whole
     * log, or its Job was removed after its time to live).
     */
    void copyWorkerLog(String id, boolean follow, java.io.OutputStream out) throws java.io.IOException;

    /** Every table with at least one ingested version, by name. */
    List<dev.ferry.core.model.Dataset> listDatasets();

    /** A table's ingested versions, oldest first. */
    List<Ingestion> listIngestions(String table);

    /** One ingested version: by bundle id or label, or the newest ingested one when {@code version} is null. */
    Ingestion getIngestion(String table, BundleRef version);

    /** The rows of an ingested version, as JSON Lines (one object per row, columns in order). */
    java.io.InputStream openRows(Ingestion ingestion);

    /**
     * The rows of a version as one Parquet file: the stored table itself (a table stored before Parquet,
     * as JSON Lines, is converted).
     */
    java.io.InputStream openRowsParquet(Ingestion ingestion);

    /** Rows, per-column nulls, distinct values and range, and the label histogram of a version (default: newest). */
    dev.ferry.core.model.DatasetStats datasetStats(String table, BundleRef version);

    /** A page of a version's rows (default: the newest), with how many there are. */
    dev.ferry.core.model.RowsPage rowsPage(String table, BundleRef version, dev.ferry.core.model.RowsPage.Query query);

    /** How the rows of two versions differ by data_id: counts, label changes, and a page of the changes. */
    dev.ferry.core.model.RowsDiff rowsDiff(String table, BundleRef from, BundleRef to, dev.ferry.core.model.RowsDiff.Query query);

    FsckReport fsck(boolean readData, boolean repair, Consumer<String> progress);

    /**
     * A one-time ticket for the web UI's login link ({@code /ui/login?ticket=…}), standing for the
     * caller's own credential, good once for {@link dev.ferry.core.auth.LoginTickets#LIFETIME}.
     */
    dev.ferry.core.auth.LoginTickets.Issued loginTicket();

    // ---- tokens (a server's named credentials; managed with its admin token)

    /** Creates a named token, optionally scoped to tables matching a glob and/or read-only; the secret is only in the answer. */
    Wire.CreatedToken createToken(String name, String tables, boolean readOnly);

    List<dev.ferry.core.auth.Token> listTokens();

    dev.ferry.core.auth.Token revokeToken(String name);

    default FsckReport fsck(boolean readData, Consumer<String> progress) {
        return fsck(readData, false, progress);
    }

    GcReport gc(Duration grace, boolean dryRun, Consumer<String> progress);

    @Override
    void close();
}
