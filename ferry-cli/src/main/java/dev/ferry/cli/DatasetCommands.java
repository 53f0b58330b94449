package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.core.api.PushRequest;
import dev.ferry.core.model.Dataset;
import dev.ferry.core.run.RunSpec;
import dev.ferry.core.run.Submission;
import dev.ferry.core.ingest.Preflight;
import dev.ferry.core.ingest.PreflightFailed;
import dev.ferry.core.ingest.RowsExport;
import dev.ferry.core.ingest.SqlType;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.RowsPage;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dataset", description = "Push labelled datasets and read their rows back.",
        subcommands = {DatasetCommands.Push.class, DatasetCommands.ListDatasets.class, DatasetCommands.Show.class,
            DatasetCommands.Versions.class, DatasetCommands.Rows.class, DatasetCommands.Stats.class, DatasetCommands.Export.class,
            DatasetCommands.Diff.class, DatasetCommands.Pull.class, DatasetCommands.Delete.class})
final class DatasetCommands extends CommandGroup {

    @Command(name = "push", description = {"Check a dataset folder, store it as a new version of its table, and ingest its records.",
        "Every local check runs first: nothing moves unless the dataset would ingest cleanly.",
        "Then the server stores and ingests it as a run, shown live; Ctrl-C detaches (the run goes on).",
        "Exit 0 on success, 2 if the checks fail, 9 if some records failed during ingestion."})
    static final class Push extends FerryCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", description = {"The dataset folder (or a tabular dataset's CSV file).",
            "Without it, --config names the data by its paths (the dataset folder is the parent of its first sidecar folder)."})
        Path path;

        @Mixin
        ConfigFlagOptions config;

        @Option(names = "--dry-run", description = "Run every local check, store nothing.")
        boolean dryRun;

        @Option(names = "--message", description = "What this version is (default: dataset push).")
        String message;

        @Option(names = "--label", description = "Also point this label at the new version ('latest' always moves).")
        String label;

        Push(CliContext ctx) {
            super(ctx);
        }

        @Option(names = "--detach", description = "Print the run id and return at once; the push goes on.")
        boolean detach;

        @Option(names = "--idempotency-key", paramLabel = "KEY",
                description = "Submitting the same key again returns the same run instead of a new one.")
        String idempotencyKey;

        @Override
        protected int run() throws InterruptedException {
            // the same checks the server runs, here first: a mistake costs nothing and moves nothing
            path = config.dataset(ctx, path);
            // run by the local server itself, the push's run (in this process too) takes this check's rows instead
            // of reading the dataset again, if its records file is still as it was read; else the report is all
            boolean offer = !dryRun && ctx.runsOnServer() != null;
            Preflight.Result preflight;
            try (CheckProgress checking = new CheckProgress(ctx)) {
                preflight = offer ? Preflight.runKeepingRows(path, config.config, config.flags(), checking)
                        : Preflight.run(path, config.config, config.flags(), checking);
            }
            if (offer) {
                dev.ferry.core.ingest.RecentPreflights.offer(preflight); // closes a failed one's rows
            }
            if (preflight.ok() && preflight.dataset() == null && !dryRun) {
                throw dev.ferry.core.error.FerryException.invalid("dataset push needs a dataset, not a config file on its"
                        + " own: " + ctx.shown(path), "pass the dataset folder with --config FILE, or --config FILE alone"
                        + " when its paths name the data");
            }
            if (dryRun || !preflight.ok()) {
                if (ctx.json()) {
                    ctx.printJson(PreflightOutput.json(ctx, path, preflight, false));
                } else {
                    // the check's report is the output of a dry run; of a refused push, it is why it stopped
                    PreflightOutput.print(dryRun ? ctx.out : ctx.err, ctx::shown, path, preflight);
                }
                if (!preflight.ok() && !dryRun) {
                    PreflightFailed failed = new PreflightFailed(preflight);
                    ctx.err.println("error: " + failed.getMessage() + " — " + failed.hint());
                }
                return PreflightOutput.exitCode(preflight);
            }
            PreflightOutput.printNotes(ctx, preflight);
            RunSpec spec = PushRequest.spec(PushRequest.of(preflight, config.config, config.flags(), message, label));
            try (ProgressDisplay.Handle progress = ProgressDisplay.create(ctx, "Uploading")) {
                // a remote server gets the blobs it lacks first; the local one reads the folder itself
                spec = ctx.api().stage(spec, progress.listener());
            }
            Submission s = ctx.api().submit(spec, idempotencyKey);
            if (!s.created()) {
                ctx.note("The idempotency key names run " + s.run().id() + " (" + s.run().state().id() + "): showing it");
            }
            if (detach) {
                if (ctx.json()) {
                    ctx.printJson(Map.of("runId", s.run().id(), "state", s.run().state().id(), "created", s.created()));
                } else {
                    ctx.out.println(s.run().id());
                    ctx.out.flush();
                    ctx.note("Pushing in the background as run " + s.run().id() + ". Follow it: ferry runs watch "
                            + s.run().id());
                }
                return 0;
            }
            return new RunView(ctx).follow(s.run().id(), 0);
        }
    }

    @Command(name = "list", description = "Every table with an ingested version.")
    static final class ListDatasets extends FerryCommand {
        ListDatasets(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            List<Dataset> all = ctx.api().listDatasets();
            if (ctx.json()) {
                ctx.printJson(all);
                return 0;
            }
            Table t = new Table("TABLE", "CATEGORY", "VERSIONS", "ROWS", "LATEST", "UPDATED");
            all.forEach(d -> t.row(d.table(), d.category(), d.versions(), d.rows(), d.latestVersion(),
                    Human.time(d.updatedAt())));
            t.print(ctx.out);
            return 0;
        }
    }

    @Command(name = "show", description = "One ingested version (default: the newest) with its summary.")
    static final class Show extends FerryCommand {
        @Parameters(index = "0", paramLabel = "TABLE")
        String table;

        @Option(names = "--version", paramLabel = "ID|LABEL", description = "A version's bundle id or a label.")
        String version;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() throws Exception {
            Ingestion i = ingestion(ctx, table, version);
            JsonNode summary = CliContext.mapper().readTree(i.summary());
            if (ctx.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("table", i.repo());
                doc.put("version", i.bundleId());
                doc.put("category", i.category());
                doc.put("rows", i.rowCount());
                doc.put("columns", i.columns());
                doc.put("ingestedAt", i.createdAt());
                doc.put("summary", summary);
                doc.put("config", CliContext.mapper().readTree(i.config()));
                ctx.printJson(doc);
                return 0;
            }
            ctx.out.println("table     " + i.repo());
            ctx.out.println("version   " + i.bundleId());
            ctx.out.println("category  " + i.category());
            ctx.out.println("ingested  " + Human.time(i.createdAt()));
            ctx.out.println("rows      " + i.rowCount() + " (" + String.join(", ", i.columns()) + ")");
            ctx.out.println("records   " + summary.path("records").asLong() + " total · " + summary.path("failed").asLong()
                    + " failed");
            ctx.out.println("files     " + summary.path("files").asLong() + " (" + Human.bytes(summary.path("bytes").asLong())
                    + ")");
            ctx.out.flush();
            return 0;
        }
    }

    @Command(name = "diff", description = {"What differs between two versions of a table: its files (A added, D deleted,",
        "M modified), or with --rows its records by data_id (added, removed, changed, label changes)."})
    static final class Diff extends FerryCommand {
        @Parameters(index = "0", paramLabel = "TABLE")
        String table;

        @Parameters(index = "1", paramLabel = "FROM", description = "Version id or label.")
        String from;

        @Parameters(index = "2", paramLabel = "TO", description = "Version id or label.")
        String to;

        @Option(names = "--rows", description = "Compare the rows tables record by record (data_id) instead of the files.")
        boolean rows;

        @Option(names = "--kind", paramLabel = "added|removed|changed", description = "With --rows: list only changes of this kind.")
        String kind;

        @Option(names = "--limit", paramLabel = "N", description = "With --rows: list at most N changes (default: 20; -o json: 100).")
        Integer limit;

        @Option(names = "--offset", defaultValue = "0", paramLabel = "K", description = "With --rows: skip the first K changes.")
        long offset;

        Diff(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            if (!rows) {
                if (kind != null || limit != null || offset != 0) {
                    throw dev.ferry.core.error.FerryException.invalid("--kind, --limit and --offset list record changes",
                            "add --rows");
                }
                return BundleCommands.Diff.print(ctx, table, from, to);
            }
            var query = new dev.ferry.core.model.RowsDiff.Query(dev.ferry.core.model.RowsDiff.Query.kind(kind), offset,
                    limit != null ? limit : ctx.json() ? 100 : 20);
            dev.ferry.core.model.RowsDiff diff = ctx.api().rowsDiff(table, BundleRef.parse(from), BundleRef.parse(to), query);
            if (ctx.json()) {
                ctx.printJson(diff);
                return 0;
            }
            ctx.out.println(table + " " + diff.from() + " → " + diff.to() + " (records by data_id)");
            ctx.out.println(String.format("added %,d · removed %,d · changed %,d · unchanged %,d", diff.added(), diff.removed(),
                    diff.changed(), diff.unchanged()));
            if (!diff.columnsAdded().isEmpty() || !diff.columnsRemoved().isEmpty()) {
                ctx.out.println("columns: " + (diff.columnsAdded().isEmpty() ? "" : "+" + String.join(" +", diff.columnsAdded()) + " ")
                        + (diff.columnsRemoved().isEmpty() ? "" : "-" + String.join(" -", diff.columnsRemoved())));
            }
            if (!diff.labelChanges().isEmpty()) {
                ctx.out.println("labels: " + String.join(" · ", diff.labelChanges().stream()
                        .map(l -> l.from() + " → " + l.to() + " " + String.format("%,d", l.rows())).toList()));
            }
            if (!diff.changes().isEmpty()) {
                Table t = new Table("KIND", "DATA_ID", "COLUMN", "FROM", "TO");
                for (var change : diff.changes()) {
                    String id = Stats.shortened(change.dataId());
                    if (change.kind() == dev.ferry.core.model.RowsDiff.Kind.changed) {
                        for (String column : change.columns()) {
                            t.row("changed", id, column, Stats.shortened(String.valueOf(change.before().get(column))),
                                    Stats.shortened(String.valueOf(change.after().get(column))));
                        }
                    } else {
                        t.row(change.kind().name(), id, "", "", "");
                    }
                }
                t.print(ctx.out);
            }
            ctx.out.flush();
            long shown = diff.offset() + diff.changes().size();
            if (shown < diff.total()) {
                ctx.note("listed " + diff.changes().size() + " of " + diff.total() + " changes; --offset " + shown
                        + " lists the next (--limit N for more at once)");
            }
            return 0;
        }
    }

    @Command(name = "pull", description = "Download a version of a table's files into a folder.")
    static final class Pull extends FerryCommand {
        @Parameters(index = "0", paramLabel = "TABLE")
        String table;

        @Option(names = "--version", paramLabel = "ID", description = "A version's bundle id.")
        String version;

        @Option(names = "--label", description = "A label (default: latest).")
        String label;

        @Option(names = "--destination", required = true, paramLabel = "DIR", description = "Empty or new folder.")
        Path destination;

        @Option(names = "--force", description = "Write into a folder that is not empty.")
        boolean force;

        Pull(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            BundleRef ref = version != null ? BundleRef.id(version) : BundleRef.label(label == null ? "latest" : label);
            var outcome = ctx.api().download(new dev.ferry.core.api.DownloadRequest(table, ref, destination, null, force),
                    dev.ferry.core.transfer.TransferListener.NONE);
            if (ctx.json()) {
                ctx.printJson(outcome);
            } else {
                ctx.note("Pulled " + outcome.files() + " files (" + Human.bytes(outcome.bytes()) + ") of " + table
                        + " into " + ctx.shown(destination));
            }
            return 0;
        }
    }

    @Command(name = "delete", description = {"Delete a table with every version and label.",
        "Needs --force; 'ferry gc' then frees the space."})
    static final class Delete extends FerryCommand {
        @Parameters(index = "0", paramLabel = "TABLE")
        String table;

        @Option(names = "--force", description = "Yes, delete it.")
        boolean force;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            if (!force) {
                throw dev.ferry.core.error.FerryException.invalid("deleting table '" + table + "' needs --force",
                        "every version and label goes; pass --force if that is what you want");
            }
            ctx.api().deleteRepo(table, true);
            if (ctx.json()) {
                ctx.printJson(Map.of("deleted", table));
            } else {
                ctx.note("Deleted table " + table + "; 'ferry gc' frees its space.");
            }
            return 0;
        }
    }

    /** A table's ingested version named by bundle id or label, or its newest one. */
    static Ingestion ingestion(CliContext ctx, String table, String version) {
        return ctx.api().getIngestion(table, version == null ? null : BundleRef.parse(version));
    }

    @Command(name = "versions", description = "List a table's ingested versions, oldest first.")
    static final class Versions extends FerryCommand {
        @Parameters(index = "0", paramLabel = "TABLE")
        String table;

        Versions(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            List<Ingestion> all = ctx.api().listIngestions(table);
            if (ctx.json()) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Ingestion i : all) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("version", i.bundleId());
                    m.put("category", i.category());
                    m.put("rows", i.rowCount());
                    m.put("columns", i.columns());
                    m.put("createdAt", i.createdAt());
                    out.add(m);
                }
                ctx.printJson(out);
                return 0;
            }
            Table t = new Table("VERSION", "INGESTED", "ROWS", "CATEGORY");
            all.forEach(i -> t.row(i.bundleId(), Human.time(i.createdAt()), i.rowCount(), i.category()));
            t.print(ctx.out);
            return 0;
        }
    }

    @Command(name = "stats", description = {"What a version's rows hold (default: the newest): rows; per column its type, nulls,",
        "distinct values, min and max; the label histogram. Computed by the server over the stored table."})
    static final class Stats extends FerryCommand {
        @Parameters(index = "0", paramLabel = "TABLE")
        String table;

        @Option(names = "--version", paramLabel = "ID|LABEL", description = "A version's bundle id or a label (default: newest).")
        String version;

        Stats(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            dev.ferry.core.model.DatasetStats stats = ctx.api().datasetStats(table, version == null ? null : BundleRef.parse(version));
            if (ctx.json()) {
                ctx.printJson(stats);
                return 0;
            }
            ctx.out.println(table + " version " + stats.version() + ": " + String.format("%,d", stats.rows()) + " rows");
            Table t = new Table("COLUMN", "TYPE", "NULLS", "DISTINCT", "MIN", "MAX");
            stats.columns().forEach(c -> t.row(c.name(), c.type(), c.nulls(), c.distinct(), shortened(c.min()), shortened(c.max())));
            t.print(ctx.out);
            if (!stats.labels().isEmpty()) {
                ctx.out.println("labels: " + String.join(" · ", stats.labels().stream()
                        .map(l -> l.label() + " " + String.format("%,d", l.rows())).toList()));
            }
            ctx.out.flush();
            return 0;
        }

        /** A cell of at most 24 characters (ids are 64). */
        static String shortened(String value) {
            return value == null ? "" : value.length() <= 24 ? value : value.substring(0, 23) + "…";
        }
    }

    @Command(name = "rows", description = {"Print the rows of an ingested version (default: the newest): all, or a page",
        "(--offset, --limit) of some columns (--columns). -o json prints JSON Lines."})
    static final class Rows extends FerryCommand {
        @Parameters(index = "0", paramLabel = "TABLE")
        String table;

        @Option(names = "--version", paramLabel = "ID|LABEL", description = "A version's bundle id or a label.")
        String version;

        @Option(names = "--limit", defaultValue = "0", description = "At most this many rows (0: all).")
        long limit;

        @Option(names = "--offset", defaultValue = "0", description = "Skip this many rows first.")
        long offset;

        @Option(names = "--columns", split = ",", paramLabel = "COLUMN[,COLUMN...]", description = "Only these columns, in this order.")
        List<String> columns;

        @Option(names = "--where", paramLabel = "FILTER", description = {"Only the rows this keeps: comparisons, AND, OR, NOT, LIKE,",
            "IN (...), BETWEEN, IS [NOT] NULL over the table's columns, e.g. \"label = 'cat' AND score > 0.5\"."})
        String where;

        Rows(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() throws Exception {
            if (limit < 0 || offset < 0) {
                throw dev.ferry.core.error.FerryException.invalid("--limit and --offset must be 0 or more", null);
            }
            BundleRef ref = version == null ? null : BundleRef.parse(version);
            ObjectWriter line = CliContext.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);
            Table t = null;
            long printed = 0;
            long at = offset;
            RowsPage page;
            do {
                int size = (int) Math.min(RowsPage.Query.MAX_LIMIT, limit == 0 ? RowsPage.Query.MAX_LIMIT : limit - printed);
                page = ctx.api().rowsPage(table, ref, new RowsPage.Query(where, columns, at, size));
                ref = BundleRef.id(page.version()); // every page of the same version, though a push lands meanwhile
                if (t == null) {
                    t = new Table(page.columns().toArray(String[]::new));
                }
                for (List<Object> row : page.rows()) {
                    if (ctx.json()) {
                        Map<String, Object> object = new LinkedHashMap<>();
                        for (int i = 0; i < page.columns().size(); i++) {
                            object.put(page.columns().get(i), row.get(i));
                        }
                        ctx.out.println(line.writeValueAsString(object)); // JSON Lines: one row per line
                    } else {
                        t.row(row.stream().map(v -> v == null ? "" : String.valueOf(v)).toArray());
                    }
                }
                printed += page.rows().size();
                at += page.rows().size();
            } while (!page.rows().isEmpty() && at < page.total() && (limit == 0 || printed < limit));
            if (!ctx.json()) {
                t.print(ctx.out);
                ctx.out.flush(); // the table before the note: they go to different streams
                ctx.note(printed + " of " + page.total() + " rows of " + table + (where == null ? "" : " that the filter keeps")
                        + " version " + page.version()
                        + (offset > 0 ? " from row " + offset : ""));
            }
            ctx.out.flush();
            return 0;
        }
    }

    @Command(name = "export", description = "Write the rows of an ingested version as Parquet, CSV or JSON Lines.")
    static final class Export extends FerryCommand {
        @Parameters(index = "0", paramLabel = "TABLE")
        String table;

        @Option(names = "--format", required = true, description = "parquet, csv or jsonl.")
        String format;

        @Option(names = "--to", paramLabel = "FILE", description = "Write here instead of stdout (replaced atomically).")
        Path to;

        @Option(names = "--version", paramLabel = "ID|LABEL", description = "A version's bundle id or a label (default: newest).")
        String version;

        Export(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() throws Exception {
            RowsExport.Format f = RowsExport.format(format);
            Ingestion ingestion = ingestion(ctx, table, version);
            Map<String, SqlType> types = RowsExport.schemaTypes(ingestion);
            if (to == null) {
                ctx.out.flush();
                OutputStream out = ctx.stdout();
                write(ingestion, types, f, out);
                out.flush();
                return 0;
            }
            Path partial = to.resolveSibling(to.getFileName() + ".partial");
            try (OutputStream out = Files.newOutputStream(partial)) {
                write(ingestion, types, f, out);
            }
            Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ctx.note("Wrote " + ingestion.rowCount() + " rows of " + table + " version " + ingestion.bundleId() + " to " + ctx.shown(to));
            return 0;
        }

        /** Parquet is the stored table itself; CSV and JSON Lines are made from its rows. */
        private void write(Ingestion ingestion, Map<String, SqlType> types, RowsExport.Format f, OutputStream out)
                throws java.io.IOException {
            if (f == RowsExport.Format.PARQUET) {
                try (InputStream parquet = ctx.api().openRowsParquet(ingestion)) {
                    parquet.transferTo(out);
                }
                return;
            }
            try (InputStream rows = ctx.api().openRows(ingestion)) {
                RowsExport.write(rows, ingestion.columns(), types, f, out);
            }
        }
    }
}
