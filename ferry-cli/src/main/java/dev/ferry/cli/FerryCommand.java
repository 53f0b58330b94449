package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/** A leaf command: gets the invocation's context, returns an exit code. */
abstract class FerryCommand implements Callable<Integer> {
    protected final CliContext ctx;

    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    // Only --help is shared: --version on a subcommand means a dataset version (dataset rows --version).
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    FerryCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public final Integer call() throws Exception {
        if (ctx.output == OutputFormat.yaml && !(this instanceof ClusterCommands.Install)) {
            throw dev.ferry.core.error.FerryException.invalid("-o yaml is only for 'ferry cluster install --dry-run'",
                    "use -o json or -o text here");
        }
        return run();
    }

    protected abstract int run() throws Exception;

    /** For options picocli cannot enforce (on commands that also have subcommands). */
    protected void require(Object value, String option) {
        if (value == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '" + option + "'");
        }
    }
}
