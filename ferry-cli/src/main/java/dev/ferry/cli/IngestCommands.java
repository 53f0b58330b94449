package dev.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.ingest.ConfigIssue;
import dev.ferry.core.ingest.IngestSchema;
import dev.ferry.core.ingest.Preflight;
import dev.ferry.core.ingest.dataset.DatasetReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", description = "Validate ingest configs and dataset folders, locally.",
        subcommands = {IngestCommands.Validate.class, IngestCommands.Schema.class, DatasetCommands.Push.class})
final class IngestCommands extends CommandGroup {

    @Command(name = "validate", description = {"Check an ingest config, or a dataset folder (its config, then its data).",
        "Local only: never contacts a server. Exit 0 if it would ingest cleanly, 2 if not, 3 if a file cannot be read."})
    static final class Validate extends FerryCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "An ingest config (YAML or JSON), or a dataset folder.")
        Path target;

        @Mixin
        ConfigFlagOptions config;

        @Option(names = "--print-config", description = "Also print the resolved config (file, flags and what the folder holds).")
        boolean printConfig;

        Validate(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() throws Exception {
            Preflight.Result result = Preflight.run(target, config.config, config.flags());
            if (ctx.json()) {
                ctx.printJson(PreflightOutput.json(ctx, target, result, printConfig));
            } else {
                if (printConfig) {
                    ctx.out.print(yaml().writeValueAsString(result.config().document()));
                }
                PreflightOutput.print(ctx, target, result);
            }
            return result.ok() ? 0 : ErrorCode.INVALID_ARGUMENT.exitCode();
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

    /** How preflight results are shown: shared by `ingest validate` and `dataset push --dry-run`. */
    static final class PreflightOutput {
        private PreflightOutput() {}

        static void print(CliContext ctx, Path target, Preflight.Result result) {
            var config = result.config();
            String source = config.configFile() == null ? "flags" : ctx.shown(config.configFile());
            if (!config.valid()) {
                ctx.out.println(source + ": " + Human.plural(config.issues().size(), "problem"));
                config.issues().forEach(i -> ctx.out.println(i.format()));
            } else if (result.dataset() == null) {
                ctx.out.println(source + ": ok");
            } else {
                DatasetReport report = result.dataset().report();
                List<DatasetReport.Finding> findings = report.findings();
                if (report.hasErrors()) {
                    long errors = findings.stream().filter(f -> f.severity() == DatasetReport.Severity.ERROR).count();
                    ctx.out.println(ctx.shown(target) + ": " + Human.plural(errors, "problem") + " (config ok: " + source + ")");
                } else {
                    String labels = report.distinctLabels().isEmpty() ? ""
                            : ", " + Human.plural(report.distinctLabels().size(), "label") + " (" + abbreviate(report.distinctLabels()) + ")";
                    ctx.out.println(target + ": ok — " + Human.plural(report.records(), "record")
                            + (report.files() > 0 ? ", " + Human.plural(report.files(), "file") : "") + labels
                            + " (config: " + source + ")");
                }
                for (DatasetReport.Finding f : findings) {
                    ctx.out.println("  " + (f.severity() == DatasetReport.Severity.ERROR ? "error: " : "note: ") + f.format());
                }
            }
            ctx.out.flush();
        }

        static Map<String, Object> json(CliContext ctx, Path target, Preflight.Result result, boolean withConfig) {
            Map<String, Object> doc = new LinkedHashMap<>();
            var config = result.config();
            doc.put("target", ctx.shown(target));
            doc.put("valid", result.ok());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("file", config.configFile() == null ? null : ctx.shown(config.configFile()));
            c.put("valid", config.valid());
            List<Map<String, Object>> issues = new ArrayList<>();
            for (ConfigIssue i : config.issues()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", i.path());
                m.put("message", i.message());
                m.put("line", i.line());
                m.put("column", i.column());
                issues.add(m);
            }
            c.put("issues", issues);
            if (withConfig) {
                c.put("resolved", config.document());
            }
            doc.put("config", c);
            if (result.dataset() != null) {
                DatasetReport report = result.dataset().report();
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("valid", !report.hasErrors());
                d.put("records", report.records());
                d.put("files", report.files());
                d.put("labels", report.distinctLabels());
                d.put("findings", report.findings());
                doc.put("dataset", d);
            }
            return doc;
        }

        private static String abbreviate(List<String> labels) {
            return labels.size() <= 8 ? String.join(", ", labels) : String.join(", ", labels.subList(0, 8)) + ", ...";
        }
    }
}
