package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.ingest.ConfigIssue;
import dev.ferry.core.ingest.Preflight;
import dev.ferry.core.ingest.dataset.DatasetReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How preflight results are shown: shared by `ingest validate`, `dataset push --dry-run` and the
 * entry point's own `ingest validate` ({@link QuickValidate}), which is why the text form needs
 * neither picocli nor the CLI's context.
 */
final class PreflightOutput {
    private PreflightOutput() {}

    /** 0 if it would ingest cleanly, else 2 (what `ingest validate` and `dataset push --dry-run` promise). */
    static int exitCode(Preflight.Result result) {
        return result.ok() ? 0 : ErrorCode.INVALID_ARGUMENT.exitCode();
    }

    static void print(PrintWriter out, Function<Path, String> shown, Path target, Preflight.Result result) {
        var config = result.config();
        String source = config.configFile() == null ? "flags" : shown.apply(config.configFile());
        Path dataset = target != null ? target : config.datasetDir();
        if (!config.valid()) {
            out.println(source + ": " + Human.plural(config.issues().size(), "problem"));
            config.issues().forEach(i -> out.println(i.format()));
            config.notes().forEach(n -> out.println("  note: " + n));
        } else if (result.dataset() == null) {
            out.println(source + ": ok (the config on its own; name the dataset folder to check its data too)");
            config.notes().forEach(n -> out.println("  note: " + n));
        } else {
            DatasetReport report = result.dataset().report();
            List<DatasetReport.Finding> findings = report.findings();
            if (report.hasErrors()) {
                long errors = findings.stream().filter(f -> f.severity() == DatasetReport.Severity.ERROR).count();
                out.println(shown.apply(dataset) + ": " + Human.plural(errors, "problem") + " (config ok: " + source + ")");
            } else {
                String labels = report.distinctLabels().isEmpty() ? ""
                        : ", " + Human.plural(report.distinctLabels().size(), "label") + " (" + abbreviate(report.distinctLabels()) + ")";
                out.println(shown.apply(dataset) + ": ok — " + Human.plural(report.records(), "record")
                        + (report.files() > 0 ? ", " + Human.plural(report.files(), "file") : "") + labels
                        + " (config: " + source + ")");
            }
            config.notes().forEach(n -> out.println("  note: " + n));
            for (DatasetReport.Finding f : findings) {
                out.println("  " + (f.severity() == DatasetReport.Severity.ERROR ? "error: " : "note: ") + f.format());
            }
        }
        out.flush();
    }

    /**
     * What a push found and takes on trust before it moves anything: where the config's paths are,
     * what was inferred (stderr: the run's own output follows on stdout).
     */
    static void printNotes(CliContext ctx, Preflight.Result result) {
        if (ctx.json()) {
            return;
        }
        result.config().notes().forEach(n -> ctx.note("note: " + n));
        if (result.dataset() != null) {
            result.dataset().report().findings().stream().filter(f -> f.severity() == DatasetReport.Severity.NOTE)
                    .forEach(f -> ctx.note("note: " + f.format()));
        }
    }

    /**
     * The config as resolved (`ingest validate --print-config`): the file and flags, with what the
     * folder supplied and what was inferred, then the defaults the checks use where the config is silent.
     */
    static void printConfig(PrintWriter out, Preflight.Result result) {
        var config = result.config();
        try {
            out.print(IngestCommands.yaml().writeValueAsString(config.document()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (config.config() != null) {
            var c = config.config();
            out.println("# in effect where the config is silent:");
            if (config.layout() != null) {
                out.println("#   dataset folder: " + config.layout().root() + (config.layout().singleFile()
                        ? " (the file " + config.layout().records() + " alone)" : ""));
                out.println("#   records file: " + c.records().path() + (c.sidecars().isEmpty() ? ""
                        : "; folders: " + String.join(", ", c.sidecars().entrySet().stream()
                                .map(e -> e.getKey() + ": " + e.getValue() + "/").toList())));
            }
            if (c.category() == dev.ferry.core.ingest.Category.IMAGE_CLASSIFICATION) {
                out.println("#   target_size: " + (c.targetSize() == null ? "the first image's size (inferred)" : c.targetSize())
                        + " (every image); min_size: " + c.minSize());
            } else if (c.category().family() == dev.ferry.core.ingest.Category.Family.IMAGE) {
                out.println("#   min_size: " + c.minSize());
            }
            if (!c.category().oneFile()) {
                out.println("#   extension: " + (c.extension() == null ? "the most common one in the "
                        + c.category().dataFolder() + " folder (inferred)" : "." + c.extension()));
            }
            if (c.label() != null) {
                out.println("#   label: column " + c.label().column() + ", policy " + c.label().policy().name()
                        .toLowerCase(java.util.Locale.ROOT) + (c.label().policy() == dev.ferry.core.ingest.IngestConfig.LabelPolicy.BUCKET
                        && c.label().buckets().isEmpty() ? " (edges: the deciles of the label values)" : ""));
            }
            if (c.timeColumn() != null) {
                out.println("#   time column: " + c.timeColumn());
            }
            out.println("#   data_id: " + c.dataId().strategy().name().toLowerCase(java.util.Locale.ROOT)
                    + (c.dataId().column() == null ? "" : " (column " + c.dataId().column() + ")"));
        }
        out.flush();
    }

    static Map<String, Object> json(CliContext ctx, Path target, Preflight.Result result, boolean withConfig) {
        Map<String, Object> doc = new LinkedHashMap<>();
        var config = result.config();
        doc.put("target", target != null ? ctx.shown(target) : config.datasetDir() == null ? null : ctx.shown(config.datasetDir()));
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
        c.put("notes", config.notes());
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
