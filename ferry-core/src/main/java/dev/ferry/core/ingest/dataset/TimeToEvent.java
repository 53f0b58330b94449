package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.SqlType;
import java.util.Set;

/**
 * time_to_event_prediction: the one-file rules, and a time column ({@code time_column}, default
 * {@code time}) whose every value is a number at least 0. The label (the event), when given, is in the
 * object form; it need not be a number unless its policy is bucket.
 */
final class TimeToEvent extends TableDataset {
    private int timeColumn = -1;
    private String timeName;

    TimeToEvent() {
        super(Category.TIME_TO_EVENT_PREDICTION);
    }

    @Override
    boolean labelRequired() {
        return false;
    }

    @Override
    boolean prepare(RecordsHeader header, IngestConfig config, Set<Integer> read, DatasetReport report) {
        timeName = config.timeColumn();
        timeColumn = header.exact(timeName, report);
        return timeColumn >= 0;
    }

    @Override
    FileDataset.Refused record(RecordsSource.Record record, String label, DatasetReport report) {
        String raw = record.value(timeColumn);
        Double time = SqlType.number(raw);
        if (time == null || time.isNaN() || time < 0) {
            return new FileDataset.Refused("rows whose " + timeName + " is not a number at least 0 (time to event)",
                    record.where() + " " + Values.shown(raw));
        }
        return null;
    }
}
