package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Makes the records' data_id by the config's strategy, one dataset at a time and in record order.
 * A content hash is the SHA-256 of the record's file (or of its values); several records may name
 * the same file (the canonical cats/dogs sample is 6 images in 576 rows), so the n-th repeat hashes
 * the first's id with "#n": ids stay unique per record and the same on every push of the same data.
 */
final class DataIds {
    private final IngestConfig.DataId strategy;
    private final Map<String, Integer> seen = new HashMap<>();
    private final java.util.Set<String> columnIds = new java.util.HashSet<>();

    DataIds(IngestConfig.DataId strategy) {
        this.strategy = strategy;
    }

    /** The id column's index when ids come from a column (-1 after reporting it missing), else -2. */
    static int column(IngestConfig config, RecordsHeader header, DatasetReport report) {
        return config.dataId().strategy() == IngestConfig.DataIdStrategy.COLUMN
                ? header.exact(config.dataId().column(), report) : -2;
    }

    /** Whether an id taken from the id column is its first use; a repeat is reported (ids are unique per record). */
    boolean firstUse(String columnValue, RecordsSource.Record record, DatasetReport report) {
        if (columnIds.add(String.valueOf(columnValue))) {
            return true;
        }
        report.offender("rows whose id (column " + Values.shown(strategy.column()) + ") repeats an earlier row's",
                record.where() + " " + Values.shown(columnValue));
        return false;
    }

    /** For a record whose data is a file: from the file's digest, a random UUID, or the id column's value. */
    String forFile(Digest fileDigest, String columnValue) {
        return switch (strategy.strategy()) {
            case CONTENT_HASH -> unique(fileDigest.hex());
            case UUID -> UUID.randomUUID().toString();
            case COLUMN -> columnValue;
        };
    }

    /** For a record that is its values (one-file categories): from the values (unit-separated), a UUID, or a column. */
    String forValues(List<String> values, String columnValue) {
        return switch (strategy.strategy()) {
            case CONTENT_HASH -> unique(Digest.of(String.join("\u001f", values.stream().map(v -> v == null ? "\u0000" : v).toList())
                    .getBytes(StandardCharsets.UTF_8)).hex());
            case UUID -> UUID.randomUUID().toString();
            case COLUMN -> columnValue;
        };
    }

    private String unique(String hex) {
        int repeat = seen.merge(hex, 1, Integer::sum) - 1;
        return repeat == 0 ? hex : Digest.of((hex + "#" + repeat).getBytes(StandardCharsets.UTF_8)).hex();
    }
}
