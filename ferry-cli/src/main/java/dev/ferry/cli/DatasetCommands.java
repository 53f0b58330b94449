package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.api.PushRequest;
import dev.ferry.core.api.PushResult;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.ingest.Preflight;
import dev.ferry.core.ingest.PreflightFailed;
import dev.ferry.core.ingest.RowsExport;
import dev.ferry.core.ingest.SqlType;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.Ingestion;
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
        subcommands = {DatasetCommands.Push.class, DatasetCommands.Versions.class, DatasetCommands.Rows.class,
            DatasetCommands.Export.class})
final class DatasetCommands extends CommandGroup {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(name = "push", aliases = {}, description = {"Check a dataset folder, store it as a new version of its table, and ingest its records.",
        "Every local check runs first: nothing moves unless the dataset would ingest cleanly.",
        "Exit 0 on success, 2 if the checks fail, 9 if some records failed during ingestion."})
    static final class Push extends FerryCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "The dataset folder.")
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

        @Override
        protected int run() {
            if (dryRun) {
                Preflight.Result result = Preflight.run(path, config.config, config.flags());
                if (ctx.json()) ctx.printJson(IngestCommands.PreflightOutput.json(path, result, false));
                else IngestCommands.PreflightOutput.print(ctx, path, result);
                return result.ok() ? 0 : ErrorCode.INVALID_ARGUMENT.exitCode();
            }
            PushResult r;
            try (ProgressDisplay.Handle progress = ProgressDisplay.create(ctx, "Staging")) {
                r = ctx.api().push(new PushRequest(path, config.config, config.flags(), message, label), progress.listener());
            } catch (PreflightFailed failed) {
                if (ctx.json()) {
                    ctx.printJson(IngestCommands.PreflightOutput.json(path, failed.result(), false));
                } else {
                    IngestCommands.PreflightOutput.print(ctx, path, failed.result());
                }
                ctx.err.println("error: " + failed.getMessage() + " — " + failed.hint());
                return failed.code().exitCode();
            }
            int exit = r.summary().failed() > 0 ? ErrorCode.RUN_FAILED.exitCode() : 0;
            if (ctx.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("table", r.config().table());
                doc.put("category", r.config().category().id());
                doc.put("version", r.bundle().id());
                doc.put("newVersion", r.newVersion());
                doc.put("summary", r.summary().asMap());
                doc.put("elapsedMs", r.elapsed().toMillis());
                doc.put("exitCode", exit);
                ctx.printJson(doc);
            } else {
                SummaryPanel.lines(r).forEach(ctx.out::println);
                for (String failure : r.summary().failures()) {
                    ctx.out.println("  failed: " + failure);
                }
                ctx.out.flush();
                if (exit != 0) {
                    ctx.err.println("error: " + r.summary().failed() + " records failed; the others were ingested as version "
                            + r.bundle().id() + " — fix the records listed above and push again");
                }
            }
            return exit;
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

    @Command(name = "rows", description = "Print the rows of an ingested version (default: the newest).")
    static final class Rows extends FerryCommand {
        @Parameters(index = "0", paramLabel = "TABLE")
        String table;

        @Option(names = "--version", paramLabel = "ID|LABEL", description = "A version's bundle id or a label.")
        String version;

        @Option(names = "--limit", defaultValue = "0", description = "At most this many rows (0: all).")
        long limit;

        Rows(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() throws Exception {
            Ingestion ingestion = ingestion(ctx, table, version);
            long[] n = {0};
            Table t = new Table(ingestion.columns().toArray(String[]::new));
            try (InputStream rows = ctx.api().openRows(ingestion)) {
                RowsExport.forEachRow(rows, row -> {
                    if (limit > 0 && n[0] >= limit) return;
                    n[0]++;
                    if (ctx.json()) {
                        ctx.out.println(JSON.writeValueAsString(row)); // JSON Lines: one row per line
                    } else {
                        Object[] cells = ingestion.columns().stream().map(c -> text(row.get(c))).toArray();
                        t.row(cells);
                    }
                });
            }
            if (!ctx.json()) {
                t.print(ctx.out);
                ctx.note(n[0] + " of " + ingestion.rowCount() + " rows of " + table + " version " + ingestion.bundleId());
            }
            ctx.out.flush();
            return 0;
        }

        private static String text(JsonNode v) {
            return v == null || v.isNull() ? "" : v.asText();
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
            Map<String, SqlType> types = new LinkedHashMap<>();
            JSON.readTree(ingestion.config()).path("schema").fields()
                    .forEachRemaining(e -> types.put(e.getKey(), SqlType.parse(e.getValue().asText())));
            if (to == null) {
                try (InputStream rows = ctx.api().openRows(ingestion)) {
                    ctx.out.flush();
                    RowsExport.write(rows, ingestion.columns(), types, f, ctx.stdout());
                }
                return 0;
            }
            Path partial = to.resolveSibling(to.getFileName() + ".partial");
            try (InputStream rows = ctx.api().openRows(ingestion); OutputStream out = Files.newOutputStream(partial)) {
                RowsExport.write(rows, ingestion.columns(), types, f, out);
            }
            Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ctx.note("Wrote " + ingestion.rowCount() + " rows of " + table + " version " + ingestion.bundleId() + " to " + to);
            return 0;
        }
    }
}
