package dev.ferry.cli;

import dev.ferry.core.blob.PackedBlobStore;
import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.store.Store;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryConfig;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.home.StoreLock;
import dev.ferry.core.maint.CatalogRebuild;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.pack.PackStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "catalog", description = "Look after the catalog (the index of repos, bundles, labels and versions).",
        subcommands = {CatalogCommands.Rebuild.class})
final class CatalogCommands extends CommandGroup {

    @Command(name = "rebuild", description = {"Rebuild a lost or damaged catalog from the store alone.",
        "Replays the catalog journal the store keeps (every repo, bundle, label move and",
        "dataset version) and indexes every pack. Stops the local server first; a damaged",
        "catalog file is kept aside as catalog.db.broken-<time>. Run history is not restored."})
    static final class Rebuild extends FerryCommand {
        @Option(names = "--force", description = "Rebuild even though the catalog opens and looks healthy.")
        boolean force;

        Rebuild(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            String remote = ctx.serverUrl != null ? ctx.serverUrl : ctx.env.get("FERRY_SERVER");
            if (remote != null && !remote.isBlank()) {
                throw FerryException.invalid("catalog rebuild works on this machine's store, not on " + remote,
                        "run it on the server's machine, with its FERRY_HOME");
            }
            FerryHome home = ctx.home();
            if (FerryConfig.load(home.configFile()).get("catalog.url") != null) {
                throw FerryException.invalid("catalog rebuild restores the SQLite catalog of FERRY_HOME; this home uses"
                        + " catalog.url", "unset it ('ferry config unset catalog.url') to rebuild the local catalog");
            }
            if (!force && healthy(home.catalogFile())) {
                throw new FerryException(ErrorCode.CONFLICT, "the catalog " + home.catalogFile()
                        + " opens and passes its integrity check",
                        "rebuilding replaces it with what the store's journal records (run history is not kept);"
                                + " add --force to rebuild anyway");
            }
            if (ctx.localServer().stop(false)) {
                ctx.note("Stopped the local server.");
            }
            try (StoreLock.Held held = StoreLock.of(home.storeLockFile()).exclusive(Duration.ofSeconds(30))) {
                List<Path> kept = moveAside(home.catalogFile());
                CatalogRebuild.Report report;
                try (JdbcDatabase db = JdbcDatabase.sqlite(home.catalogFile());
                        PackStore packs = LocalFerry.openPacks(home, FerryConfig.load(home.configFile()));
                        PackedBlobStore blobs = new PackedBlobStore(packs, db.blobIndex(), db.catalog())) {
                    Store store = new Store(db.catalog(), db.blobIndex(), packs, blobs, StoreLock.of(home.storeLockFile()));
                    report = new CatalogRebuild(store).run(line -> {
                        if (ctx.verbose) ctx.note(line);
                    });
                } catch (IOException e) {
                    throw new FerryException(ErrorCode.STORAGE_FAILED, "cannot close the store: " + e.getMessage(), null, e);
                }
                return print(report, kept);
            }
        }

        private int print(CatalogRebuild.Report r, List<Path> kept) {
            if (ctx.json()) {
                ctx.printJson(r);
            } else {
                for (Path p : kept) {
                    ctx.note("kept the old " + p.getFileName().toString().replaceFirst("\\.broken-[0-9-]+", "") + " as " + p);
                }
                ctx.out.println("rebuilt the catalog from " + Human.plural(r.records(), "journal record") + ": "
                        + Human.plural(r.repos(), "repo") + ", " + Human.plural(r.bundles(), "bundle") + ", "
                        + Human.plural(r.labelMoves(), "label move") + ", " + Human.plural(r.versions(), "dataset version")
                        + "; indexed " + Human.plural(r.check().repaired().size(), "pack"));
                r.check().problems().forEach(p -> ctx.out.println(p.kind() + ": " + p.subject() + ": " + p.detail()));
                ctx.out.println(r.check().clean() ? "the store checks clean (structure; 'ferry fsck' also reads every blob)"
                        : Human.plural(r.check().problemCount(), "problem") + " found");
            }
            if (!r.check().clean()) {
                ctx.err.println("error: the catalog was rebuilt, but the store lacks data some bundles need (listed);"
                        + " push or upload their folders again");
                return ErrorCode.DATA_CORRUPT.exitCode();
            }
            return 0;
        }

        /** Whether the catalog file exists and passes SQLite's quick check. */
        private static boolean healthy(Path file) {
            if (!Files.exists(file)) {
                return false;
            }
            try (JdbcDatabase ignored = JdbcDatabase.sqlite(file)) {
                return true;
            } catch (FerryException damaged) {
                return false;
            }
        }

        /** Moves the catalog file and its WAL and shared-memory files aside; returns where they went. */
        private static List<Path> moveAside(Path catalog) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            List<Path> moved = new ArrayList<>();
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path file = catalog.resolveSibling(catalog.getFileName() + suffix);
                if (Files.exists(file)) {
                    Path aside = catalog.resolveSibling(catalog.getFileName() + ".broken-" + stamp + suffix);
                    try {
                        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot move " + file + " aside: "
                                + e.getMessage(), "check the permissions of FERRY_HOME", e);
                    }
                    moved.add(aside);
                }
            }
            return moved;
        }
    }
}
