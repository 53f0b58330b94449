package dev.ferry.core.api;

import dev.ferry.core.catalog.BundleCommit;
import dev.ferry.core.catalog.CommitResult;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.StoreLock;
import dev.ferry.core.model.Author;
import dev.ferry.core.model.Ids;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.Names;
import dev.ferry.core.model.Repo;
import dev.ferry.core.run.RunContext;
import dev.ferry.core.run.RunState;
import dev.ferry.core.store.Store;
import dev.ferry.core.transfer.StagedUpload;
import dev.ferry.core.transfer.UploadOutcome;
import dev.ferry.core.transfer.Uploader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a folder into a bundle: stores it (or checks what a client uploaded of it), then commits the
 * bundle, its rows table if it is a dataset version, and the label moves in one catalog transaction.
 * The store is held shared from staging to the commit, so gc cannot take the blobs that no bundle names
 * yet.
 */
final class BundleCommitter {
    static final String LATEST = "latest";

    private final Store store;
    private final Author author;
    private final Path statCacheDir;
    private final int parallelism;

    BundleCommitter(Store store, Author author, Path statCacheDir, int parallelism) {
        this.store = store;
        this.author = author;
        this.statCacheDir = statCacheDir;
        this.parallelism = parallelism;
    }

    /**
     * An upload of a folder this process reads ({@code staged} null), or the commit of one a client
     * already uploaded (its manifest and every blob it names must be stored here; they are checked).
     */
    UploadResult upload(UploadRequest request, UploadOutcome staged, RunContext ctx) {
        List<String> labels = movedBy(request.label());
        long started = System.nanoTime();
        prepareStaging(request, staged, ctx);
        try (StoreLock.Held held = store.shared()) {
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
        requireRepo(request.repo());
        ctx.claim(request.repo(), request.path().toString());
        ctx.enter(RunState.STAGING, staged == null ? "storing " + request.path()
                : "checking the uploaded data of " + request.path());
    }

    /**
     * Stores a folder (or checks a client's upload of one) without committing anything: afterwards its
     * manifest and every blob it names are stored. The caller holds the store shared until it commits.
     */
    UploadOutcome stage(UploadRequest request, UploadOutcome staged, RunContext ctx) {
        // an upload deduplicates only against copies whose pack is there (PackPresence), so what it
        // commits is stored; a client's upload is checked blob by blob
        return staged == null ? new Uploader(store.blobs(), statCacheDir, parallelism).upload(request.path(), ctx.transfers())
                : StagedUpload.verify(store.blobs(), staged, ctx.transfers());
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

    /** Creates a dataset's table on its first push; a concurrent first push may win that race. */
    void ensureRepo(String name, String description) {
        if (store.catalog().findRepo(name).isPresent()) {
            return;
        }
        try {
            store.catalog().createRepo(name, description, author, Instant.now());
        } catch (FerryException raced) {
            if (raced.code() != ErrorCode.CONFLICT) throw raced;
        }
    }

    private Repo requireRepo(String name) {
        return store.catalog().findRepo(name).orElseThrow(() -> FerryException.notFound("repo '" + name
                + "' does not exist", "create it with 'ferry repo create --repo " + name
                + " --description ...', or see 'ferry repo list'"));
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
        return store.catalog().commit(new BundleCommit(Ids.newId(now), repo, message, author, now,
                staged.manifest().fileCount(), staged.manifest().totalBytes(), staged.manifest().root(), labels,
                alwaysNew, ingestion));
    }
}
