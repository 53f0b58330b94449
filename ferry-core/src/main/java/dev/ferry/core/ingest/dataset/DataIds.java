package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Makes a record's data_id by the config's strategy. */
final class DataIds {
    private DataIds() {}

    /** For records whose data is a file: its SHA-256, a random UUID, or the id column's value. */
    static String forFile(IngestConfig.DataId strategy, Digest fileDigest, String columnValue) {
        return switch (strategy.strategy()) {
            case CONTENT_HASH -> fileDigest.hex();
            case UUID -> UUID.randomUUID().toString();
            case COLUMN -> columnValue;
        };
    }

    /** For tabular records: the SHA-256 of the record's values (unit-separated), a UUID, or a column. */
    static String forValues(IngestConfig.DataId strategy, List<String> values, String columnValue) {
        return switch (strategy.strategy()) {
            case CONTENT_HASH -> Digest.of(String.join("\u001f", values.stream().map(v -> v == null ? "\u0000" : v).toList())
                    .getBytes(StandardCharsets.UTF_8)).hex();
            case UUID -> UUID.randomUUID().toString();
            case COLUMN -> columnValue;
        };
    }
}
