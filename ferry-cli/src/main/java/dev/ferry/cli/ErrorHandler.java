package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Turns every failure into one clear line on stderr (what, why, what to do) and the documented exit
 * code; with --output json also into a JSON error document on stdout. Stack traces only with -v.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    private final CliContext ctx;

    ErrorHandler(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        if (e instanceof CommandLine.ParameterException usage) {
            return handleParseException(usage, null);
        }
        FerryException failure = e instanceof FerryException f ? f
                : new FerryException(ErrorCode.INTERNAL, "unexpected failure: " + e,
                        "run again with --verbose for details, and report it", e);
        return report(failure, e);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        return report(new FerryException(ErrorCode.INVALID_ARGUMENT, e.getMessage(),
                "see '" + command + " --help'"), e);
    }

    private int report(FerryException failure, Exception cause) {
        String message = ctx.shownIn(failure.getMessage());
        ctx.err.println(ErrorLine.of(message, failure.hint() == null ? null : ctx.shownIn(failure.hint())));
        if (ctx.verbose) {
            cause.printStackTrace(ctx.err);
        }
        ctx.err.flush();
        if (ctx.json()) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", failure.code().name());
            error.put("exitCode", failure.code().exitCode());
            error.put("message", message);
            error.put("hint", failure.hint() == null ? null : ctx.shownIn(failure.hint()));
            ctx.printJson(Map.of("error", error));
        }
        return failure.code().exitCode();
    }
}
