package dev.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.ferry.core.ingest.IngestSchema;
import dev.ferry.core.ingest.Preflight;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", description = "Validate ingest configs and dataset folders, locally.",
        subcommands = {IngestCommands.Validate.class, IngestCommands.Schema.class, DatasetCommands.Push.class})
final class IngestCommands extends CommandGroup {

    @Command(name = "validate", description = {"Check an ingest config, or a dataset (its config, then its data).",
        "Local only: never contacts a server. Exit 0 if it would ingest cleanly, 2 if not, 3 if a file cannot be read."})
    static final class Validate extends FerryCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", description = {"A dataset folder, a tabular dataset's CSV file, or an ingest config (YAML or JSON) on its own.",
            "Without it, --config names the data by its paths (the dataset folder is the parent of its first sidecar folder)."})
        Path target;

        @Mixin
        ConfigFlagOptions config;

        @Option(names = "--print-config", description = "Also print the resolved config: the file, the flags, what the folder holds, inferred and default values.")
        boolean printConfig;

        Validate(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() throws Exception {
            target = config.dataset(ctx, target);
            Preflight.Result result;
            try (CheckProgress checking = new CheckProgress(ctx)) {
                result = Preflight.run(target, config.config, config.flags(), checking);
            }
            if (ctx.json()) {
                ctx.printJson(PreflightOutput.json(ctx, target, result, printConfig));
            } else {
                if (printConfig) {
                    PreflightOutput.printConfig(ctx.out, result);
                }
                PreflightOutput.print(ctx.out, ctx::shown, target, result);
            }
            return PreflightOutput.exitCode(result);
        }
    }

    @Command(name = "schema", description = "Print the ingest.v1 JSON Schema (every field is described in it).")
    static final class Schema extends FerryCommand {
        Schema(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            ctx.out.print(IngestSchema.get().text());
            ctx.out.flush();
            return 0;
        }
    }

    static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    }
}
