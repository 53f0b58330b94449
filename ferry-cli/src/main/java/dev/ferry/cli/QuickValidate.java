package dev.ferry.cli;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.Preflight;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The one command the entry point runs itself, without the CLI: {@code ferry ingest validate FILE},
 * exactly that (a config file, no options). It is what users run after every edit of a config, it
 * never needs the store or a server, and its promise is to answer about as fast as a Python
 * validator (bench/RESULTS.md): building picocli's command model alone would take longer than the
 * whole check. The checks and the output are the full command's ({@link Preflight},
 * {@link PreflightOutput}); anything else — options, a dataset folder, a failure that is not a
 * {@link FerryException} — is left to the full CLI, before anything is printed.
 */
final class QuickValidate {
    private QuickValidate() {}

    /** Whether these are the arguments this class answers (the launcher asks the same in its own words). */
    static boolean applies(List<String> args) {
        return args.size() == 3 && args.get(0).equals("ingest") && args.get(1).equals("validate")
                && !args.get(2).startsWith("-") && Files.isRegularFile(Path.of(args.get(2)));
    }

    /** The exit code, or empty when the full CLI must run the command (nothing has been written then). */
    static OptionalInt run(List<String> args, OutputStream stdout, OutputStream stderr) {
        if (!applies(args)) {
            return OptionalInt.empty();
        }
        Path target = Path.of(args.get(2));
        Preflight.Result result;
        try {
            result = Preflight.run(target, null, ConfigFlags.NONE);
        } catch (FerryException failure) {
            PrintWriter err = new PrintWriter(stderr, false, StandardCharsets.UTF_8);
            err.println(ErrorLine.of(failure));
            err.flush();
            return OptionalInt.of(failure.code().exitCode());
        } catch (RuntimeException unexpected) {
            return OptionalInt.empty(); // the full CLI says it the usual way (and with --verbose, its stack)
        }
        PrintWriter out = new PrintWriter(stdout, false, StandardCharsets.UTF_8);
        PreflightOutput.print(out, Path::toString, target, result);
        return OptionalInt.of(PreflightOutput.exitCode(result));
    }
}
