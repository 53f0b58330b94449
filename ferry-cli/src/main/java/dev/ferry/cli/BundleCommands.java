package dev.ferry.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.core.api.DownloadRequest;
import dev.ferry.core.api.UploadRequest;
import dev.ferry.core.api.UploadResult;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.DiffEntry;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.model.Label;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.transfer.DownloadOutcome;
import dev.ferry.core.transfer.UpdateOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bundle", description = "Upload, list, download and compare bundles (immutable snapshots).",
        subcommands = {BundleCommands.Upload.class, BundleCommands.ListBundles.class, BundleCommands.Download.class,
            BundleCommands.Diff.class, BundleCommands.Update.class})
final class BundleCommands extends CommandGroup {

    @Command(name = "upload", description = {"Upload a folder as a new bundle of a repo; prints the bundle id last.",
        "Unchanged files are not re-read (stat cache), content the store already has is",
        "not stored again, and identical content returns the existing bundle."})
    static final class Upload extends FerryCommand {
        @Option(names = "--path", required = true, description = "Folder to upload.")
        Path path;

        @Option(names = "--repo", required = true, description = "Repo to upload into.")
        String repo;

        @Option(names = "--message", required = true, description = "What this version is.")
        String message;

        @Option(names = "--label", description = "Also point this label at the bundle ('latest' always moves).")
        String label;

        @Option(names = "--create-repo", description = "Create the repo first if it does not exist.")
        boolean createRepo;

        Upload(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            if (createRepo && ctx.api().listRepos().stream().noneMatch(x -> x.name().equals(repo))) {
                try {
                    ctx.api().createRepo(repo, "");
                    ctx.note("Created repo " + repo);
                } catch (dev.ferry.core.error.FerryException raced) {
                    // another upload created it between the look and the create: what was asked for is there
                    if (raced.code() != dev.ferry.core.error.ErrorCode.CONFLICT
                            || ctx.api().listRepos().stream().noneMatch(x -> x.name().equals(repo))) {
                        throw raced;
                    }
                }
            }
            UploadResult r;
            try (ProgressDisplay.Handle progress = ProgressDisplay.create(ctx, "Uploading")) {
                r = ctx.api().upload(new UploadRequest(path, repo, message, label), progress.listener());
            }
            if (ctx.json()) {
                ctx.printJson(uploadJson(r));
                return 0;
            }
            var o = r.outcome();
            if (r.created()) {
                ctx.note("Uploaded " + Human.plural(o.manifest().fileCount(), "file") + " ("
                        + Human.bytes(o.manifest().totalBytes()) + ") to repo " + repo + " in "
                        + Human.duration(r.elapsed()) + ": " + Human.bytes(o.newBytes()) + " new in "
                        + Human.plural(o.packsWritten(), "pack") + ", " + o.filesFromCache()
                        + " files unchanged since the last upload.");
            } else {
                ctx.note("No new bundle: the content is identical to bundle " + r.bundle().id() + " ("
                        + Human.time(r.bundle().createdAt()) + ", \"" + r.bundle().message() + "\"); nothing stored.");
            }
            if (!o.skipped().isEmpty()) {
                int n = o.skipped().size();
                ctx.note("Skipped " + n + (n == 1 ? " entry:" : " entries:"));
                o.skipped().stream().limit(20).forEach(s -> ctx.note("  " + s.path() + ": " + s.reason()));
                if (o.skipped().size() > 20) {
                    ctx.note("  ... and " + (o.skipped().size() - 20) + " more (--output json lists all)");
                }
            }
            String labels = r.labelMoves().stream().map(LabelMove::label).collect(Collectors.joining(", "));
            ctx.note("Labels " + labels + " -> " + r.bundle().id());
            ctx.out.println(r.bundle().id());
            return 0;
        }

        private static Map<String, Object> uploadJson(UploadResult r) {
            var o = r.outcome();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("bundle", r.bundle());
            doc.put("created", r.created());
            doc.put("files", o.manifest().fileCount());
            doc.put("bytes", o.manifest().totalBytes());
            doc.put("newBytes", o.newBytes());
            doc.put("newBlobs", o.newBlobs());
            doc.put("packsWritten", o.packsWritten());
            doc.put("filesRead", o.filesRead());
            doc.put("filesFromCache", o.filesFromCache());
            doc.put("skipped", o.skipped());
            doc.put("labels", r.labelMoves());
            doc.put("elapsedMs", r.elapsed().toMillis());
            return doc;
        }
    }

    @Command(name = "list", description = "List a repo's bundles, oldest first (newest last).",
            subcommands = {ListFiles.class})
    static final class ListBundles extends FerryCommand {
        // Not required=true: picocli would then demand it before the 'files' subcommand too.
        @Option(names = "--repo", description = "Repo name (required).")
        String repo;

        ListBundles(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            require(repo, "--repo=<repo>");
            List<Bundle> bundles = ctx.api().listBundles(repo);
            if (ctx.json()) {
                ctx.printJson(bundles);
                return 0;
            }
            if (bundles.isEmpty()) {
                ctx.note("Repo " + repo + " has no bundles yet; upload one with 'ferry bundle upload'.");
                return 0;
            }
            Map<String, List<String>> labels = new HashMap<>();
            for (Label l : ctx.api().listLabels(repo)) {
                labels.computeIfAbsent(l.bundleId(), k -> new ArrayList<>()).add(l.name());
            }
            Table t = new Table("BUNDLE", "CREATED", "FILES", "SIZE", "LABELS", "MESSAGE");
            for (Bundle b : bundles) {
                t.row(b.id(), Human.time(b.createdAt()), b.fileCount(), Human.bytes(b.totalBytes()),
                        String.join(",", labels.getOrDefault(b.id(), List.of())), b.message());
            }
            t.print(ctx.out);
            return 0;
        }
    }

    @Command(name = "files", description = "List the files of a bundle: mode, size, sha256, path.")
    static final class ListFiles extends FerryCommand {
        @Option(names = "--repo", required = true, description = "Repo name.")
        String repo;

        @ArgGroup(multiplicity = "1")
        BundleSelector selector;

        ListFiles(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() throws IOException {
            if (!ctx.json()) {
                ctx.api().listFiles(repo, selector.ref(), f -> ctx.out.println(
                        f.modeString() + " " + String.format("%12d", f.size()) + " " + f.digest().hex() + "  " + f.path()));
                ctx.out.flush();
                return 0;
            }
            // Streamed: a bundle of a million files never becomes one list in memory.
            try (JsonGenerator g = CliContext.mapper().getFactory().createGenerator(ctx.out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartArray();
                ctx.api().listFiles(repo, selector.ref(), f -> {
                    try {
                        g.writeStartObject();
                        g.writeStringField("path", f.path());
                        g.writeNumberField("size", f.size());
                        g.writeStringField("mode", f.modeString());
                        g.writeStringField("digest", f.digest().toString());
                        g.writeNumberField("chunks", f.chunks().size());
                        g.writeEndObject();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                g.writeEndArray();
            }
            ctx.out.println();
            ctx.out.flush();
            return 0;
        }
    }

    @Command(name = "download", description = {"Restore a bundle into a folder, verifying every byte.",
        "The destination must be empty (or new) unless --force; nothing is ever written",
        "outside it, and a failed download leaves it as it was."},
            subcommands = {DownloadFile.class})
    static final class Download extends FerryCommand {
        // Checked in run(), not by picocli: required options here would be demanded before 'file' too.
        @Option(names = "--repo", description = "Repo name (required).")
        String repo;

        @ArgGroup(multiplicity = "0..1")
        BundleSelector selector;

        @Option(names = "--destination", description = "Folder to restore into (required).")
        Path destination;

        @Option(names = "--name-filter", paramLabel = "REGEX", description = "Only paths matching this regular expression.")
        String nameFilter;

        @Option(names = "--force", description = "Write into a non-empty destination, overwriting files of the same name.")
        boolean force;

        Download(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            require(repo, "--repo=<repo>");
            require(selector, "(--bundle=ID | --label=LABEL)");
            require(destination, "--destination=<destination>");
            long started = System.nanoTime();
            DownloadOutcome o;
            try (ProgressDisplay.Handle progress = ProgressDisplay.create(ctx, "Downloading")) {
                o = ctx.api().download(new DownloadRequest(repo, selector.ref(), destination, nameFilter, force),
                        progress.listener());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (ctx.json()) {
                ctx.printJson(Map.of("destination", destination.toAbsolutePath().toString(), "files", o.files(),
                        "bytes", o.bytes(), "elapsedMs", took.toMillis()));
            } else {
                ctx.note("Downloaded " + Human.plural(o.files(), "file") + " (" + Human.bytes(o.bytes()) + ") to "
                        + ctx.shown(destination) + " in " + Human.duration(took) + "; every byte verified.");
            }
            return 0;
        }
    }

    @Command(name = "file", description = "Restore one file of a bundle to DESTINATION/<its path>.")
    static final class DownloadFile extends FerryCommand {
        @Option(names = "--file", required = true, description = "Path of the file within the bundle.")
        String file;

        @Option(names = "--repo", required = true, description = "Repo name.")
        String repo;

        @ArgGroup(multiplicity = "1")
        BundleSelector selector;

        @Option(names = "--destination", required = true, description = "Folder to restore into.")
        Path destination;

        @Option(names = "--force", description = "Overwrite the file if it exists.")
        boolean force;

        DownloadFile(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            DownloadOutcome o = ctx.api().downloadFile(repo, selector.ref(), file, destination, force);
            Path written = destination.resolve(file);
            if (ctx.json()) {
                ctx.printJson(Map.of("file", written.toAbsolutePath().toString(), "bytes", o.bytes()));
            } else {
                ctx.note("Downloaded " + file + " (" + Human.bytes(o.bytes()) + ") to " + written);
            }
            return 0;
        }
    }

    @Command(name = "diff", description = {"Show what changed between two bundles (A added, D deleted, M modified).",
        "FROM and TO are bundle ids or label names."})
    static final class Diff extends FerryCommand {
        @Option(names = "--repo", required = true, description = "Repo name.")
        String repo;

        @Parameters(index = "0", paramLabel = "FROM", description = "Bundle id or label.")
        String from;

        @Parameters(index = "1", paramLabel = "TO", description = "Bundle id or label.")
        String to;

        Diff(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            return print(ctx, repo, from, to);
        }

        /** Prints the differences between two bundles of a repo (also {@code dataset diff}). */
        static int print(CliContext ctx, String repo, String from, String to) {
            List<DiffEntry> changes = new ArrayList<>();
            List<Bundle> pair = ctx.api().diff(repo, BundleRef.parse(from), BundleRef.parse(to), d -> {
                if (ctx.json()) {
                    changes.add(d);
                } else {
                    ctx.out.println(d.status() + " " + d.path());
                }
            });
            if (ctx.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("from", pair.get(0).id());
                doc.put("to", pair.get(1).id());
                doc.put("changes", changes.stream().map(Diff::json).toList());
                ctx.printJson(doc);
            } else {
                ctx.out.flush();
            }
            return 0;
        }

        private static Map<String, Object> json(DiffEntry d) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", d.status());
            m.put("path", d.path());
            switch (d) {
                case DiffEntry.Added a -> m.put("after", file(a.file()));
                case DiffEntry.Removed r -> m.put("before", file(r.file()));
                case DiffEntry.Modified x -> {
                    m.put("before", file(x.before()));
                    m.put("after", file(x.after()));
                }
            }
            return m;
        }

        private static Map<String, Object> file(FileEntry f) {
            return Map.of("size", f.size(), "mode", f.modeString(), "digest", f.digest().toString());
        }
    }

    @Command(name = "update", description = {"Make a folder hold exactly a bundle's files.",
        "Writes what is missing or different, fixes modes, and deletes files the bundle",
        "does not have; files that already match are not rewritten."})
    static final class Update extends FerryCommand {
        @Option(names = "--repo", required = true, description = "Repo name.")
        String repo;

        @ArgGroup(multiplicity = "1")
        BundleSelector selector;

        @Option(names = "--destination", required = true, description = "Folder to update.")
        Path destination;

        Update(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            UpdateOutcome o;
            try (ProgressDisplay.Handle progress = ProgressDisplay.create(ctx, "Updating")) {
                o = ctx.api().update(repo, selector.ref(), destination, progress.listener());
            }
            if (ctx.json()) {
                ctx.printJson(o);
            } else {
                ctx.note("Updated " + ctx.shown(destination) + ": " + o.added() + " added, " + o.updated() + " updated, "
                        + o.deleted() + " deleted, " + o.unchanged() + " unchanged.");
            }
            return 0;
        }
    }

}
