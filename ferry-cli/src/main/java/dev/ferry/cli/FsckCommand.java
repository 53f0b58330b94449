package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.maint.FsckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fsck", description = {"Verify the store; exits 1 if anything is damaged.",
    "Checks every pack and blob (their bytes too, unless --no-read-data), and that",
    "every bundle's manifest and data are present."})
final class FsckCommand extends FerryCommand {
    @Option(names = "--no-read-data", description = "Check structure and index only, not every blob's bytes.")
    boolean noReadData;

    FsckCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        FsckReport r = ctx.api().fsck(!noReadData, s -> {
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
            for (FsckReport.Problem p : r.problems()) {
                ctx.out.println(p.kind() + ": " + p.subject() + ": " + p.detail());
            }
            if (r.problemCount() > r.problems().size()) {
                ctx.out.println("... and " + (r.problemCount() - r.problems().size()) + " more problems");
            }
            ctx.out.println(r.clean() ? "no problems found" : Human.plural(r.problemCount(), "problem") + " found");
        }
        if (!r.clean()) {
            ctx.err.println("error: the store is damaged (" + Human.plural(r.problemCount(), "problem")
                    + ") — the listed bundles cannot be fully restored; re-upload their source folders if you still have them");
            return ErrorCode.DATA_CORRUPT.exitCode();
        }
        return 0;
    }
}
