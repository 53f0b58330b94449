package dev.ferry.core.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.catalog.CommitResult;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.ingest.DatasetLayout;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.FileStamp;
import dev.ferry.core.ingest.Preflight;
import dev.ferry.core.ingest.PreflightFailed;
import dev.ferry.core.ingest.SqlType;
import dev.ferry.core.ingest.dataset.DatasetCategory;
import dev.ferry.core.ingest.dataset.DatasetReport;
import dev.ferry.core.ingest.dataset.RowsTable;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.ManifestSummary;
import dev.ferry.core.manifest.SingleFile;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.rows.ParquetRows;
import dev.ferry.core.run.RunContext;
import dev.ferry.core.run.RunState;
import dev.ferry.core.store.Store;
import dev.ferry.core.transfer.Downloader;
import dev.ferry.core.transfer.FileContents;
import dev.ferry.core.transfer.StagedUpload;
import dev.ferry.core.transfer.TransferListener;
import dev.ferry.core.transfer.UploadOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * `dataset push`, in-process: the local checks, the upload of the folder as a new version of the
 * table's repo, then the ingestion, which runs the same category checks again and builds the rows
 * table from the records that pass. Rows whose file is not the one that was uploaded (it changed in
 * between) are failed records. The rows table is stored as a one-file manifest of Parquet (ParquetRows).
 */
final class Ingestor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final BlobStore blobs;
    private final Catalog catalog;
    private final BundleCommitter committer;
    /** Where rows tables are written before they are stored. */
    private final Path scratchDir;

    private final dev.ferry.core.home.FileCache rowsCache;

    Ingestor(Store store, BundleCommitter committer, Path scratchDir, dev.ferry.core.home.FileCache rowsCache) {
        this.rowsCache = rowsCache;
        this.scratchDir = scratchDir;
        this.store = store;
        this.blobs = store.blobs();
        this.catalog = store.catalog();
        this.committer = committer;
    }

    /**
     * A push of a folder a client uploaded already (a remote server cannot read the client's disk): the
     * uploaded files are restored to a scratch folder, where the very same checks run, and the version
     * is the uploaded manifest itself. The scratch folder is removed as the run ends.
     */
    PushResult pushStaged(PushRequest request, UploadOutcome staged, String configText, Path scratchRoot,
            RunContext ctx) {
        Path scratch = null;
        try {
            Files.createDirectories(scratchRoot);
            scratch = Files.createTempDirectory(scratchRoot, "push-");
            Path dir = Files.createDirectory(scratch.resolve("data"));
            ctx.log("info", "restoring the uploaded folder for its checks");
            // checked here for a clear REJECTED before restoring (a missing blob would otherwise surface as
            // DATA_CORRUPT from the restore), and again by the upload step under the store lock, which is
            // what keeps gc from removing them before the commit
            StagedUpload.verify(blobs, staged, TransferListener.NONE);
            try {
                new Downloader(blobs, Runtime.getRuntime().availableProcessors())
                        .download(Manifest.open(blobs, staged.manifest().root()), dir, p -> true, true, TransferListener.NONE);
            } catch (FerryException e) {
                if (e.code() != ErrorCode.STORAGE_FAILED) throw e;
                // the scratch copy is the server's own business: say what failed, and that nothing is committed
                throw new FerryException(ErrorCode.STORAGE_FAILED, e.getMessage().replaceFirst("^disk full writing ",
                        "disk full while writing a scratch copy of the uploaded folder: ") + "; nothing was committed",
                        "free space on the server (under " + scratchRoot + ") and push again: what is stored is not sent again",
                        e);
            }
            Path config = null;
            if (configText != null) {
                config = Files.writeString(scratch.resolve("config.yaml"), configText);
            }
            ctx.checkCancelled();
            return push(new PushRequest(dir, config, request.flags(), request.message(), request.label()), staged, ctx);
        } catch (IOException e) {
            throw dev.ferry.core.error.DiskFull.storeWriteFailed("a scratch copy of the uploaded folder under " + scratchRoot, e);
        } finally {
            if (scratch != null) {
                Downloader.deleteTree(scratch);
            }
        }
    }

    PushResult push(PushRequest request, UploadOutcome staged, RunContext ctx) {
        long started = System.nanoTime();
        Preflight.Result preflight = Preflight.forIngestion(request.path(), request.configFile(), request.flags());
        try {
            return push(request, staged, ctx, preflight, started);
        } finally {
            if (preflight.dataset() != null) {
                preflight.dataset().rows().close();
            }
        }
    }

    private PushResult push(PushRequest request, UploadOutcome staged, RunContext ctx, Preflight.Result preflight,
            long started) {
        if (!preflight.ok()) {
            throw new PreflightFailed(preflight);
        }
        if (preflight.dataset() == null) {
            throw FerryException.invalid("dataset push needs a dataset folder, not a config file: " + request.path(),
                    "pass the folder, with --config FILE if the config lives elsewhere");
        }
        IngestConfig config = preflight.config().config();
        DatasetLayout layout = preflight.config().layout();
        Path dir = layout.root();
        String table = config.table();
        ctx.claim(table, config.category().id() + " from " + dir);
        committer.ensureRepo(table, "dataset " + table + " (" + config.category() + ")");
        String message = request.message() == null ? "dataset push" : request.message();
        UploadRequest upload = new UploadRequest(layout.upload(), table, message, request.label());
        committer.prepareStaging(upload, staged, ctx);
        // held from the upload to the commit: the staged blobs and rows are unreferenced until then
        return store.whileShared(() -> {
            long stagingStarted = System.nanoTime();
            UploadOutcome outcome = committer.stage(upload, staged, ctx);
            Digest manifest = outcome.manifest().root();
            var same = catalog.findBundleWithManifest(table, manifest);
            var existing = same.flatMap(b -> catalog.findIngestion(table, b.id()));
            if (existing.isPresent() && config.ingestsAs(configOf(existing.get()))) {
                // identical content, already ingested: nothing new to do but move the labels to it
                ctx.checkCancelled();
                CommitResult moved = committer.commitVersion(table, message, outcome, request.label(), false, null);
                IngestSummary previous = summaryOf(existing.get());
                IngestSummary skipped = new IngestSummary(previous.records(), 0, previous.inserted(), previous.failed(),
                        previous.files(), previous.bytes(), previous.labels(), previous.labelCount(), previous.failures());
                return result(config, upload(moved, outcome, stagingStarted), false, existing.get(), skipped, started);
            }
            // the same files with another config are another dataset version: its rows differ
            boolean otherConfig = existing.isPresent();
            ctx.enter(RunState.EXECUTING, "ingesting the records of " + table);
            DatasetCategory.DatasetOutcome checked;
            FileStamp now = FileStamp.of(dir.resolve(config.records().path()));
            if (preflight.recordsBefore() != null && preflight.recordsBefore().equals(now)) {
                // the records file is as it was before the preflight read it, so the stored one is the one
                // it read: its rows are this version's (each row's own files are compared below all the same)
                checked = preflight.dataset();
                ctx.checkCancelled();
            } else {
                DatasetCategory category = DatasetCategory.of(config.category());
                checked = category.check(layout, config, (done, total) -> {
                    ctx.records(done, total);
                    ctx.checkCancelled(); // a safe point: nothing of this run is committed yet
                });
            }
            DatasetReport report = checked.report();
            List<String> failures = new ArrayList<>();
            report.findings().stream().filter(f -> f.severity() == DatasetReport.Severity.ERROR)
                    .forEach(f -> failures.add(f.format()));
            KeptRows rows;
            ManifestSummary storedRows;
            try (RowsTable all = checked.rows()) {
                rows = checkAgainstBundle(all, config, dir, manifest, failures);
                storedRows = storeRows(all.columns(), config.schema(), rows);
            }
            long failed = report.errorCount() + (checked.rows().size() - rows.size());
            IngestSummary summary = new IngestSummary(report.records(), rows.size(), 0, failed, report.files(),
                    outcome.manifest().totalBytes(), report.distinctLabels(),
                    failures.subList(0, Math.min(20, failures.size())));
            ctx.records(report.records(), report.records());
            // the last safe point: the commit records the bundle, its rows and the label moves at once
            ctx.checkCancelled();
            Ingestion ingestion = new Ingestion(table, null, config.category().id(), storedRows.root(), rows.size(),
                    checked.rows().columns(), json(preflight.config().document()), json(summary.asMap()), Instant.now());
            CommitResult commit = committer.commitVersion(table, otherConfig
                    ? message + " (the files of " + same.get().id() + ", another ingest config)" : message,
                    outcome, request.label(), otherConfig, ingestion);
            Ingestion recorded = catalog.findIngestion(table, commit.bundle().id()).orElseThrow();
            return result(config, upload(commit, outcome, stagingStarted), true, recorded, summary, started);
        });
    }

    private static UploadResult upload(CommitResult commit, UploadOutcome outcome, long started) {
        return new UploadResult(commit.bundle(), commit.created(), outcome, commit.moves(), since(started));
    }

    /** The config a version was ingested with, or null if it cannot be read as one today. */
    private static IngestConfig configOf(Ingestion ingestion) {
        try {
            return IngestConfig.from(JSON.readTree(ingestion.config()));
        } catch (IOException | RuntimeException e) {
            return null; // written by another version of Ferry: ingest again rather than guess
        }
    }

    private static PushResult result(IngestConfig config, UploadResult upload, boolean newVersion, Ingestion ingestion,
            IngestSummary summary, long started) {
        return new PushResult(config.table(), config.category().id(), config.intent(), upload.bundle(), newVersion,
                ingestion, summary, upload, since(started));
    }

    /**
     * Keeps the rows whose files in the bundle are the files the checks read: the records file (if it
     * changed since the upload, no row can be trusted), and each row's own files (its image or text,
     * then sidecars), the first compared by the digest the checks took of it.
     */
    private KeptRows checkAgainstBundle(RowsTable table, IngestConfig config, Path dir, Digest manifestRoot,
            List<String> failures) {
        Map<String, FileEntry> stored = new HashMap<>();
        Manifest.open(blobs, manifestRoot).forEach(f -> stored.put(f.path(), f));
        String records = config.records().path();
        if (!sameAsStored(dir, records, null, stored)) {
            failures.add(records + " changed after it was uploaded; push again");
            return new KeptRows(table, new java.util.BitSet());
        }
        if (!table.namesFiles()) {
            // every row is the records file's alone, and that file is as it was read: all are kept, unread here
            return new KeptRows(table, null);
        }
        // several rows may share a file: each file is compared once
        Map<String, Boolean> same = new HashMap<>();
        java.util.BitSet keep = new java.util.BitSet();
        int[] at = {0};
        table.forEach(row -> {
            String changed = null;
            for (int i = 0; i < row.files().size() && changed == null; i++) {
                String file = row.files().get(i);
                Digest read = i == 0 ? row.firstFileDigest() : null;
                if (!same.computeIfAbsent(file, f -> sameAsStored(dir, f, read, stored))) {
                    changed = file;
                }
            }
            if (changed != null) {
                failures.add(changed + " changed after it was uploaded; push again");
            } else {
                keep.set(at[0]);
            }
            at[0]++;
        });
        return new KeptRows(table, keep);
    }

    /**
     * The rows of a table whose files are the checked ones ({@code keep}: their indexes; null: every row),
     * read from the table as often as asked.
     */
    private record KeptRows(RowsTable table, java.util.BitSet keep) implements ParquetRows.Rows {
        int size() {
            return keep == null ? table.size() : keep.cardinality();
        }

        @Override
        public void forEach(java.util.function.Consumer<List<Object>> each) {
            if (keep == null) {
                table.forEach(row -> each.accept(row.values()));
                return;
            }
            if (keep.isEmpty()) {
                return;
            }
            int[] at = {0};
            table.forEach(row -> {
                if (keep.get(at[0]++)) {
                    each.accept(row.values());
                }
            });
        }
    }

    /**
     * Whether the bundle holds this file (relative to the dataset folder) as it is now, or as it was
     * when its bytes had the digest {@code read} (the checks' own hash, when they took one).
     */
    private static boolean sameAsStored(Path dir, String path, Digest read, Map<String, FileEntry> stored) {
        FileEntry entry = stored.get(inBundle(path));
        if (entry == null) {
            return false;
        }
        if (read != null && entry.chunks().size() <= 1) {
            return entry.digest().equals(read); // one chunk: the entry's digest is the bytes' digest
        }
        try {
            return entry.digest().equals(FileContents.digestOf(dir.resolve(path)));
        } catch (IOException gone) {
            return false; // cannot match what was uploaded
        }
    }

    /** A config's relative path ("./images//a.jpg") as the manifest names it ("images/a.jpg"). */
    private static String inBundle(String relative) {
        java.util.StringJoiner path = new java.util.StringJoiner("/");
        Path.of(relative).normalize().forEach(part -> path.add(part.toString()));
        return path.toString();
    }

    private ManifestSummary storeRows(List<String> columns, Map<String, SqlType> schema, KeptRows rows) {
        // the rows engine wrote the whole table as it checked it: stored as it is; else written here first
        Path file = rows.keep() == null ? rows.table().writtenFile() : null;
        Path temp = null;
        try {
            if (file == null) {
                Files.createDirectories(scratchDir);
                temp = Files.createTempFile(scratchDir, "rows-", ".parquet");
                Files.delete(temp); // DuckDB makes the file
                ParquetRows.write(columns, schema, rows, temp, scratchDir);
                file = temp;
            }
            ManifestSummary stored;
            try (InputStream in = Files.newInputStream(file)) {
                stored = SingleFile.store(blobs, ParquetRows.FILE, in, 0644);
            }
            // the file queries will read: the first look at the new version need not restore it from the store
            rowsCache.adopt(stored.root().hex(), file);
            return stored;
        } catch (IOException e) {
            throw dev.ferry.core.error.DiskFull.storeWriteFailed("the rows table", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a scratch file left behind costs its space only; the version is stored
                }
            }
        }
    }

    static IngestSummary summaryOf(Ingestion ingestion) {
        try {
            var n = JSON.readTree(ingestion.summary());
            List<String> labels = new ArrayList<>();
            n.path("labels").forEach(l -> labels.add(l.asText()));
            List<String> failures = new ArrayList<>();
            n.path("failures").forEach(l -> failures.add(l.asText()));
            return new IngestSummary(n.path("records").asLong(), n.path("inserted").asLong(), n.path("skipped").asLong(),
                    n.path("failed").asLong(), n.path("files").asLong(), n.path("bytes").asLong(), labels,
                    n.path("labelCount").asLong(labels.size()), failures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
