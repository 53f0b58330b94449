package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.maint.FsckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fsck", description = {"Verify the store; exits 1 if anything is damaged.",
    "Checks every pack and blob (their bytes too, unless --no-read-data), and that",
    "every bundle's manifest and data are present. A blob found damaged or missing is",
    "recorded as such: the next push or upload of its file stores it again.",
    "--repair also rebuilds what the store still holds (a damaged pack index, the",
    "catalog's index of packs it does not know)."})
final class FsckCommand extends FerryCommand {
    @Option(names = "--no-read-data", description = "Check structure and index only, not every blob's bytes.")
    boolean noReadData;

    @Option(names = "--repair", description = "Rebuild what can be rebuilt from the store itself; list what only a re-upload brings back.")
    boolean repair;

    FsckCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        FsckReport r = ctx.api().fsck(!noReadData, repair, s -> {
            if (ctx.verbose) ctx.note(s);
        });
        if (ctx.json()) {
            ctx.printJson(r);
        } else {
            ctx.out.println("checked " + Human.plural(r.packs(), "pack") + ", " + Human.plural(r.blobs(), "blob")
                    + (noReadData ? "" : " (" + Human.bytes(r.bytesVerified()) + " read and verified)") + ", "
                    + Human.plural(r.bundles(), "bundle") + " with " + Human.plural(r.files(), "file"));
            if (r.orphanPacks() > 0) {
                ctx.out.println("note: " + Human.plural(r.orphanPacks(), "pack")
                        + " not in the catalog (left by an interrupted upload; 'ferry gc' removes them)");
            }
            for (String fixed : r.repaired()) {
                ctx.out.println("repaired: " + fixed);
            }
            for (FsckReport.Problem p : r.problems()) {
                ctx.out.println(p.kind() + ": " + p.subject() + ": " + p.detail());
            }
            if (r.problemCount() > r.problems().size()) {
                ctx.out.println("... and " + (r.problemCount() - r.problems().size()) + " more problems");
            }
            ctx.out.println(r.clean() ? "no problems found" : Human.plural(r.problemCount(), "problem") + " found");
        }
        if (!r.clean()) {
            boolean lost = r.problems().stream().anyMatch(p -> p.kind().equals("bundle-data-lost"));
            ctx.err.println("error: the store is damaged (" + Human.plural(r.problemCount(), "problem") + ")"
                    + (lost ? " — the listed files cannot be restored until their content is stored again: push or"
                            + " upload the folders they came from (only what is missing is sent)" : "")
                    + (repair ? "" : "; 'ferry fsck --repair' rebuilds what the store itself still holds"));
            return ErrorCode.DATA_CORRUPT.exitCode();
        }
        return 0;
    }
}
