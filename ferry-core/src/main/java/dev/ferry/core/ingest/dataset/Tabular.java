package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * tabular_classification and tabular_regression: CSV or JSON records, a label column, declared
 * schema columns whose values must parse as their types. Regression labels are numbers; with the
 * bucket policy they become ranges (the raw value is kept in label_raw).
 */
final class Tabular implements DatasetCategory {
    private static final Set<String> RESERVED = Set.of("data_id", "data_intent", "label", "label_raw", "filename",
            "extension");
    private final Category category;

    Tabular(Category category) {
        this.category = category;
    }

    @Override
    public Category category() {
        return category;
    }

    @Override
    public DatasetOutcome check(Path dir, IngestConfig config, RecordProgress progress) {
        DatasetReport report = new DatasetReport();
        IngestConfig.Label label = config.label();
        boolean bucket = label.policy() == IngestConfig.LabelPolicy.BUCKET;
        List<String> columns = new ArrayList<>(RowsTable.BASE_COLUMNS);
        if (bucket) {
            columns.add("label_raw");
        }
        columns.addAll(config.schema().keySet());
        RowsTable rows = new RowsTable(columns);
        RecordsHeader header = RecordsHeader.open(dir, config, report);
        if (header == null) {
            return new DatasetOutcome(report, rows);
        }
        int labelColumn = header.label(label.column(), report);
        Map<String, Integer> schemaColumns = header.schemaColumns(config, report);
        int idColumn = config.dataId().strategy() == IngestConfig.DataIdStrategy.COLUMN
                ? header.exact(config.dataId().column(), report) : -2;
        header.refuseReserved(RESERVED, labelColumn, report);
        if (labelColumn < 0 || idColumn == -1 || report.hasErrors()) {
            return new DatasetOutcome(report, rows);
        }
        boolean numeric = category == Category.TABULAR_REGRESSION || bucket;
        Set<String> labels = new TreeSet<>();
        long[] records = {0};
        boolean readAll = header.forEachRecord(r -> {
            records[0]++;
            String raw = r.value(labelColumn);
            if (raw == null || raw.isBlank()) {
                report.offender("rows without a label", r.where());
                return;
            }
            String value = raw.trim();
            if (numeric && !isNumber(value)) {
                report.offender("labels that are not numbers (" + category + (bucket ? ", bucket policy" : "") + ")",
                        r.where() + " \"" + raw + "\"");
                return;
            }
            Map<String, String> values = RecordsHeader.schemaValues(r, schemaColumns, config.schema(), report);
            if (values == null) {
                return;
            }
            String labelValue = bucket ? bucketOf(Double.parseDouble(value), label.buckets()) : value;
            labels.add(labelValue);
            List<Object> row = new ArrayList<>();
            row.add(DataIds.forValues(config.dataId(), r.values(), idColumn >= 0 ? r.value(idColumn) : null));
            row.add(null);
            row.add(null);
            row.add(labelValue);
            row.add(config.intent());
            if (bucket) {
                row.add(value);
            }
            config.schema().keySet().forEach(c -> row.add(values.get(c)));
            rows.add(row);
        }, report, progress);
        if (!readAll) {
            return new DatasetOutcome(report, new RowsTable(columns));
        }
        if (records[0] == 0) {
            report.error(header.name + " has no records");
        }
        boolean classification = category == Category.TABULAR_CLASSIFICATION;
        if (classification && records[0] > 0 && labels.size() < 2 && !report.hasErrors()) {
            report.error("only " + labels.size() + " distinct label" + (labels.size() == 1 ? " (\"" + labels.iterator().next()
                    + "\")" : "") + ": classification needs at least 2");
        }
        report.labels(classification || bucket ? List.copyOf(labels) : List.of());
        report.counted(records[0], 0);
        progress.records(records[0], records[0]);
        return new DatasetOutcome(report, rows);
    }

    private static boolean isNumber(String v) {
        try {
            double d = Double.parseDouble(v);
            return !Double.isNaN(d) && !Double.isInfinite(d);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The range a value falls in, by ascending edges: "(-inf, e0)", "[e0, e1)", ..., "[en, inf)". */
    static String bucketOf(double value, List<Double> edges) {
        List<Double> sorted = edges.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            if (value < sorted.get(i)) {
                return "[" + (i == 0 ? "-inf" : fmt(sorted.get(i - 1))) + ", " + fmt(sorted.get(i)) + ")";
            }
        }
        return "[" + fmt(sorted.get(sorted.size() - 1)) + ", inf)";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
