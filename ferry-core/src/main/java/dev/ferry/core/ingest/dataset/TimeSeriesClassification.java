package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.SqlType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * time_series_classification: the one-file rules; each row belongs to a sequence ({@code sequence_id},
 * never empty or NA-like; the text {@code none} is an id) and has a time ({@code timestamp}, TIMESTAMP
 * or INT); within a sequence rows are in time order and the label is the same (compared as labels are);
 * at least two labels across the sequences. Rows are records; the note counts the sequences.
 */
final class TimeSeriesClassification extends TableDataset {
    static final String SEQUENCE_ID = "sequence_id";

    private int sequenceColumn = -1;
    private int timeColumn = -1;
    private String timeName;
    private SqlType timeType;
    private final Map<String, Double> lastTime = new HashMap<>();
    private final Map<String, String> labelOf = new HashMap<>();
    private final Set<String> sequences = new HashSet<>();

    TimeSeriesClassification() {
        super(Category.TIME_SERIES_CLASSIFICATION);
    }

    @Override
    int minimumLabels() {
        return 2;
    }

    @Override
    boolean prepare(RecordsHeader header, IngestConfig config, Set<Integer> read, DatasetReport report) {
        timeName = config.timeColumn();
        sequenceColumn = header.exact(SEQUENCE_ID, report);
        timeColumn = header.exact(timeName, report);
        read.add(sequenceColumn);
        read.add(timeColumn);
        timeType = config.schema().getOrDefault(timeName, SqlType.parse("TIMESTAMP"));
        return sequenceColumn >= 0 && timeColumn >= 0;
    }

    @Override
    FileDataset.Refused record(RecordsSource.Record record, String label, DatasetReport report) {
        String sequence = record.value(sequenceColumn);
        if (SqlType.isNa(sequence)) {
            return new FileDataset.Refused("rows with an empty " + SEQUENCE_ID + " (an empty or NA-like value)",
                    record.where() + " " + Values.shown(sequence));
        }
        String raw = record.value(timeColumn);
        Double at = timeType.orderKey(raw);
        if (at == null) {
            return new FileDataset.Refused("rows without a " + timeName + " (each row of a sequence needs its time)",
                    record.where() + " " + Values.shown(raw));
        }
        Double before = lastTime.get(sequence);
        if (before != null && at < before) {
            return new FileDataset.Refused("rows out of time order within their sequence",
                    record.where() + " sequence " + Values.shown(sequence) + " goes back to " + Values.shown(raw));
        }
        String first = labelOf.putIfAbsent(sequence, label == null ? "" : label);
        if (first != null && !first.equals(label == null ? "" : label)) {
            return new FileDataset.Refused("sequences whose label changes (a sequence has one label)",
                    record.where() + " sequence " + Values.shown(sequence) + " is " + Values.shown(first) + " before, "
                            + Values.shown(label) + " here");
        }
        lastTime.put(sequence, at);
        sequences.add(sequence);
        return null;
    }

    @Override
    void finish(DatasetReport report) {
        report.note(String.format("%,d sequence%s (%s)", sequences.size(), sequences.size() == 1 ? "" : "s",
                "each row is a record of its sequence"));
    }
}
