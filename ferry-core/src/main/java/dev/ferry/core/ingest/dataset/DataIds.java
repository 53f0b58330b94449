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
 * ({@link EngineTableCheck} makes the same ids in the rows engine.)
 */
final class DataIds {
    private final IngestConfig.DataId strategy;
    /** Contents seen once (most are), by the first 64 bits of their digest: 8 bytes each instead of a 64-char key. */
    private final LongSet seenOnce = new LongSet();
    /** How many times contents seen more than once were seen, by the same key. */
    private final Map<Long, Integer> repeats = new HashMap<>();
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

    /**
     * Hex digits of a content-hash id made from a record's values: 64 bits of their SHA-256. Enough for
     * ids that are unique per record (repeats are numbered by the same 64 bits, below) and stable, and a
     * quarter of the stored table's id column that 64 digits were (32 MB of a 1M-row table's 47 MB).
     * A file's record keeps its file's whole digest: that names the file's content in the store too.
     */
    static final int VALUES_ID_DIGITS = 16;

    /** For a record that is its values (one-file categories): from the values (unit-separated), a UUID, or a column. */
    String forValues(List<String> values, String columnValue) {
        return switch (strategy.strategy()) {
            case CONTENT_HASH -> unique(Digest.of(String.join("\u001f", values.stream().map(v -> v == null ? "\u0000" : v).toList())
                    .getBytes(StandardCharsets.UTF_8)).hex().substring(0, VALUES_ID_DIGITS));
            case UUID -> UUID.randomUUID().toString();
            case COLUMN -> columnValue;
        };
    }

    /**
     * The id of the n-th record with this content. Keyed by 64 bits of the SHA-256: two different contents
     * sharing them (~1 in 10^7 for a million records) would give the second the id of a repeat — still
     * unique per record and the same on every push, which is all an id must be.
     */
    private String unique(String hex) {
        long key = Long.parseUnsignedLong(hex, 0, 16, 16);
        int repeat;
        if (seenOnce.add(key)) {
            repeat = 0;
        } else {
            repeat = repeats.merge(key, 1, Integer::sum);
        }
        return repeat == 0 ? hex : Digest.of((hex + "#" + repeat).getBytes(StandardCharsets.UTF_8)).hex().substring(0, hex.length());
    }

    /** A set of longs in one array (open addressing, linear probing): no object per element. */
    static final class LongSet {
        private long[] slots = new long[1 << 10];
        private boolean hasZero;
        private int size;

        /** Adds {@code v}; whether it was new. */
        boolean add(long v) {
            if (v == 0) {
                boolean added = !hasZero;
                hasZero = true;
                return added;
            }
            if ((size + 1) * 2L > slots.length) {
                grow();
            }
            int mask = slots.length - 1;
            for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
                if (slots[i] == v) {
                    return false;
                }
                if (slots[i] == 0) {
                    slots[i] = v;
                    size++;
                    return true;
                }
            }
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            size = 0;
            for (long v : old) {
                if (v != 0) {
                    add(v);
                }
            }
        }

        private static int mix(long v) {
            long h = v * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
