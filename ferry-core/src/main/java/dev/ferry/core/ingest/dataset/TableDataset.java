package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.DatasetLayout;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.SqlType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of the one-file categories (reference ingest-v1.md §3: tabular, time series, time to
 * event): one records file, UTF-8 with a header and data rows, no duplicate columns; every value of a
 * schema column parses as its type (NA-like values are NULL); columns the schema leaves out are named
 * in a note, never dropped silently. Labels: NA-like values are not labels (the record is ingested
 * without one, and counted in a note); labels compare as text when the schema types the label column
 * as text, otherwise numbers compare by value ({@code 1} = {@code 1.0}); a numeric label (regression,
 * a bucket policy) must be a number. Each category adds its own checks of records and of the whole.
 */
abstract sealed class TableDataset implements DatasetCategory
        permits TabularClassification, TabularRegression, TimeToEvent, TimeSeriesForecasting, TimeSeriesClassification {
    private static final List<String> EXTRA = List.of("label_raw");
    private final Category category;

    TableDataset(Category category) {
        this.category = category;
    }

    @Override
    public final Category category() {
        return category;
    }

    // ------------------------------------------------------------------ what a category adds

    /** Whether the records must carry a label (the config's label is then required here too). */
    boolean labelRequired() {
        return true;
    }

    /** Whether labels must be numbers (regression, forecasting); a bucket policy makes them so too. */
    boolean numericLabels() {
        return false;
    }

    /** Distinct labels the dataset needs. */
    int minimumLabels() {
        return 0;
    }

    /** Finds the columns the category reads (adding them to {@code read}); false after reporting. */
    boolean prepare(RecordsHeader header, IngestConfig config, Set<Integer> read, DatasetReport report) {
        return true;
    }

    /**
     * A category's check of one record, in file order (it may keep state: time order); {@code label}
     * is the label's comparison key or null. Null when it passes, else the record is refused.
     */
    FileDataset.Refused record(RecordsSource.Record record, String label, DatasetReport report) {
        return null;
    }

    /** Checks of the whole dataset once every record is read. */
    void finish(DatasetReport report) {}

    /**
     * Whether the category's rules are the shared ones alone (no {@link #record} or {@link #finish} of its
     * own), which the rows engine can run over a large CSV ({@link EngineTableCheck}).
     */
    boolean sharedRulesOnly() {
        return false;
    }

    /** Whether the rows engine checks a large CSV of this category with this label policy. */
    final boolean engineMayCheck(boolean bucketPolicy) {
        return sharedRulesOnly() && !bucketPolicy;
    }

    // ------------------------------------------------------------------ the checks

    @Override
    public DatasetOutcome check(DatasetLayout dataset, IngestConfig config, RecordProgress progress) {
        DatasetReport report = new DatasetReport();
        IngestConfig.Label label = config.label();
        boolean bucket = label != null && label.policy() == IngestConfig.LabelPolicy.BUCKET;
        boolean numeric = numericLabels() || bucket;
        if (!dataset.singleFile()) {
            // a folder is stored whole: a link out of it would make a partial version
            try {
                DatasetTree.of(dataset.root()).reportLinks(report);
            } catch (DatasetProblem e) {
                report.error(e.getMessage());
            }
        }
        RecordsHeader header = RecordsHeader.open(dataset.root(), config, report);
        if (header == null) {
            return new DatasetOutcome(report, new RowsTable(RowsTable.BASE_COLUMNS));
        }
        Set<Integer> read = new HashSet<>();
        int labelColumn = -2;
        if (label != null) {
            labelColumn = header.label(label.column(), "name it with --label-column (or label: in the config)", report);
        } else if (labelRequired()) {
            report.error(category + " needs a label column: give it with --label-column COLUMN (and --label-policy"
                    + " passthrough or bucket), or label: {column, policy} in the config");
        }
        read.add(labelColumn);
        Set<String> rowColumns = new HashSet<>(RowsTable.BASE_COLUMNS);
        rowColumns.addAll(EXTRA);
        Map<String, Integer> schemaColumns = header.schemaColumns(config, labelColumn, rowColumns, report);
        read.addAll(schemaColumns.values());
        int idColumn = DataIds.column(config, header, report);
        read.add(idColumn);
        boolean prepared = prepare(header, config, read, report);
        List<String> columns = new ArrayList<>(RowsTable.BASE_COLUMNS);
        if (bucket) {
            columns.addAll(EXTRA);
        }
        columns.addAll(schemaColumns.keySet());
        RowsTable rows = new RowsTable(columns);
        try {
            if (labelColumn == -1 || idColumn == -1 || !prepared || report.hasErrors()) {
                return new DatasetOutcome(report, rows);
            }
            List<String> unkept = header.unkept(read);
            if (!unkept.isEmpty()) {
                report.note(header.name + " columns not in the schema, not ingested: " + String.join(", ", unkept.stream()
                        .limit(20).toList()) + (unkept.size() > 20 ? ", ... (" + unkept.size() + ")" : ""));
            }
            SqlType labelType = label == null ? null : config.schema().get(header.columns().get(labelColumn));
            boolean textLabels = labelType != null && labelType.isText();
            // Each record that passes becomes its row at once (a large table spills to disk: RowsTable), so
            // the heap holds the labels seen and, for a bucket policy, the label values — never the records.
            Set<String> labels = new TreeSet<>();
            // numeric labels only count towards the minimum (they are not listed): a few distinct ones will do
            int labelsKept = numeric ? Math.max(2, minimumLabels()) : Integer.MAX_VALUE;
            Numbers values = new Numbers(); // the label values of every passing record (bucket edges)
            Numbers kept = new Numbers(); // those of the rows (bucket names)
            long[] unlabelled = {0};
            boolean buildRows = progress.rowsWanted();
            EngineTableCheck.Passed engine = null;
            if (engineMayCheck(bucket) && config.records().format() == IngestConfig.Format.CSV) {
                EngineTableCheck.Table request = new EngineTableCheck.Table(dataset.root().resolve(config.records().path()),
                        config.csv(), header.columns().size(), labelColumn, textLabels, numeric, labelsKept, schemaColumns,
                        config.schema(), config.dataId(), idColumn, config.intent(), columns, buildRows);
                if (EngineTableCheck.suits(request)) {
                    engine = EngineTableCheck.check(request, progress);
                }
            }
            long records;
            RowsTable built = rows; // the engine's table instead, when it wrote one
            if (engine != null) {
                // every record passed as the Java checks below would have passed it; the engine wrote the rows
                records = engine.records();
                labels.addAll(engine.labels());
                unlabelled[0] = engine.unlabelled();
                rows.close();
                built = engine.rows() != null ? engine.rows() : new RowsTable(columns);
            } else {
                int labelAt = labelColumn;
                DataIds ids = new DataIds(config.dataId());
                boolean readAll = header.forEachRecord(r -> {
                    String key = null;
                    if (labelAt >= 0) {
                        String raw = r.value(labelAt);
                        if (SqlType.isNa(raw)) {
                            unlabelled[0]++;
                        } else {
                            if (!Labels.storable(raw.strip(), r, report)) {
                                return;
                            }
                            if (numeric && !SqlType.isNumber(raw)) {
                                report.offender("labels that are not numbers (" + category + (bucket ? ", bucket policy" : "")
                                        + "; set the policy with --label-policy or label.policy)", r.where() + " " + Values.shown(raw));
                                return;
                            }
                            key = labelKey(raw, textLabels);
                        }
                    }
                    Map<String, String> schemaValues = RecordsHeader.schemaValues(r, schemaColumns, config.schema(), report);
                    if (schemaValues == null) {
                        return;
                    }
                    FileDataset.Refused refused = record(r, key, report);
                    if (refused != null) {
                        report.offender(refused.kind(), refused.who());
                        return;
                    }
                    if (key != null) {
                        if (labels.size() < labelsKept) {
                            labels.add(key);
                        }
                        if (bucket) {
                            values.add(SqlType.number(key));
                        }
                    }
                    String idValue = idColumn >= 0 ? r.value(idColumn) : null;
                    if (idColumn >= 0 && !ids.firstUse(idValue, r, report)) {
                        return;
                    }
                    if (bucket && key != null) {
                        kept.add(SqlType.number(key));
                    }
                    if (!buildRows) {
                        return; // the report is all the caller wants: no id to make, no row to keep
                    }
                    List<Object> row = new ArrayList<>(columns.size());
                    row.add(ids.forValues(r.values(), idValue));
                    row.add(null);
                    row.add(null);
                    row.add(key); // a bucket's name replaces it as the table is read, once the edges are known
                    row.add(config.intent());
                    if (bucket) {
                        row.add(key);
                    }
                    schemaColumns.keySet().forEach(c -> row.add(schemaValues.get(c)));
                    rows.add(row);
                }, report, progress);
                if (!readAll) {
                    rows.close();
                    return new DatasetOutcome(report, new RowsTable(columns));
                }
                records = header.records();
            }
            if (records == 0) {
                report.error(header.name + " has a header but no data rows");
            }
            if (records > 0) {
                Labels.enough(labels, minimumLabels(), category, unlabelled[0] > 0 ? " beside NA-like values" : "", report);
            }
            finish(report);
            if (unlabelled[0] > 0) {
                report.note(String.format("%,d record%s no label (an empty or NA-like value): ingested without one",
                        unlabelled[0], unlabelled[0] == 1 ? " has" : "s have"));
            }
            if (bucket) {
                List<Double> edges = Buckets.edges(label.buckets(), values.list());
                Set<String> bucketLabels = new TreeSet<>();
                kept.list().forEach(v -> bucketLabels.add(Buckets.of(v, edges)));
                int labelIndex = RowsTable.BASE_COLUMNS.indexOf("label");
                built.transformOnRead(row -> {
                    if (row.get(labelIndex) != null) {
                        row.set(labelIndex, Buckets.of(SqlType.number((String) row.get(labelIndex)), edges));
                    }
                    return row;
                });
                report.labels(List.copyOf(bucketLabels));
            } else {
                report.labels(numeric ? List.of() : List.copyOf(labels));
            }
            report.counted(records, 1); // the records file is the dataset's one file
            progress.records(records, records);
            return new DatasetOutcome(report, built);
        } catch (RuntimeException | Error stopped) {
            // a progress that stops the checks (a cancelled run, a client gone) leaves no spilled table behind
            rows.close();
            throw stopped;
        }
    }

    /** Numbers without an object each (a million label values are 8 MB). */
    private static final class Numbers {
        private double[] values = new double[64];
        private int size;

        void add(double v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        List<Double> list() {
            return new java.util.AbstractList<>() {
                @Override
                public Double get(int i) {
                    return values[i];
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }

    /** A label as it compares: text as written (trimmed), or a number by its value ("1.0" is "1", "Infinity" is "inf"). */
    static String labelKey(String raw, boolean text) {
        String v = raw.strip();
        Double number = text ? null : SqlType.number(v);
        if (number == null) {
            return v;
        }
        if (number.isNaN() || number.isInfinite()) {
            return number.isNaN() ? "nan" : number > 0 ? "inf" : "-inf";
        }
        BigDecimal d = new BigDecimal(v.startsWith("+") ? v.substring(1) : v).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
