package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.SqlType;
import java.util.Set;

/**
 * time_series_forecasting: the one-file rules; the time column ({@code timestamp}, typed TIMESTAMP in
 * the schema) holds a time on every row and the rows are in time order; the label, when given, is a
 * number (the value forecast).
 */
final class TimeSeriesForecasting extends TableDataset {
    private int timeColumn = -1;
    private String timeName;
    private SqlType timeType;
    private Double last;
    private long lastLine;

    TimeSeriesForecasting() {
        super(Category.TIME_SERIES_FORECASTING);
    }

    @Override
    boolean labelRequired() {
        return false;
    }

    @Override
    boolean numericLabels() {
        return true;
    }

    @Override
    boolean prepare(RecordsHeader header, IngestConfig config, Set<Integer> read, DatasetReport report) {
        timeName = config.timeColumn();
        timeColumn = header.exact(timeName, report);
        read.add(timeColumn);
        timeType = config.schema().getOrDefault(timeName, SqlType.parse("TIMESTAMP"));
        return timeColumn >= 0;
    }

    @Override
    FileDataset.Refused record(RecordsSource.Record record, String label, DatasetReport report) {
        String raw = record.value(timeColumn);
        Double at = timeType.orderKey(raw);
        if (at == null) {
            return new FileDataset.Refused("rows without a " + timeName + " (time series rows each need their time)",
                    record.where() + " " + Values.shown(raw));
        }
        if (last != null && at < last) {
            return new FileDataset.Refused("rows out of time order (time series rows must be sorted by " + timeName + ")",
                    record.where() + " " + Values.shown(raw) + " comes after line " + lastLine);
        }
        last = at;
        lastLine = record.line();
        return null;
    }
}
