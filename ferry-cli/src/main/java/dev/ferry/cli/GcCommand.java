package dev.ferry.cli;

import dev.ferry.core.maint.GcReport;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gc", description = {"Delete stored data that no bundle references.",
    "Frees what 'repo delete' left behind and what interrupted uploads wrote;",
    "data younger than the grace period is kept."})
final class GcCommand extends FerryCommand {
    @Option(names = "--grace", defaultValue = "1h", converter = Durations.class, paramLabel = "DURATION",
            description = "Keep anything younger than this (default: ${DEFAULT-VALUE}; e.g. 0, 90s, 15m, 2d).")
    Duration grace;

    @Option(names = "--dry-run", description = "Report what would be deleted, delete nothing.")
    boolean dryRun;

    GcCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        GcReport r = ctx.api().gc(grace, dryRun, s -> {
            if (ctx.verbose) ctx.note(s);
        });
        if (ctx.json()) {
            ctx.printJson(r);
            return 0;
        }
        String verb = dryRun ? "would free " : "freed ";
        ctx.out.println(verb + Human.bytes(r.bytesFreed()) + ": " + Human.plural(r.packsDeleted(), "pack") + " deleted, "
                + Human.plural(r.packsRepacked(), "pack") + " repacked, " + Human.plural(r.blobsDropped(), "blob")
                + " dropped, " + Human.plural(r.orphanPacksDeleted(), "orphan pack") + " and "
                + Human.plural(r.partialPacksDeleted(), "partial pack") + " removed; "
                + Human.plural(r.liveBlobs(), "blob") + " in use"
                + (r.packsKeptForGrace() > 0 ? "; " + Human.plural(r.packsKeptForGrace(), "pack")
                        + " younger than " + grace + " kept" : ""));
        return 0;
    }
}
