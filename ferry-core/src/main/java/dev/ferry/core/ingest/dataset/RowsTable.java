package dev.ferry.core.ingest.dataset;

import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The records an ingestion produces: fixed leading columns, then the category's, then the declared
 * schema columns. Each row remembers the files of the dataset folder it was built from (its image or
 * text, then sidecars such as its annotation or mask), and the digest of the first as the checks read
 * it: the ingestion keeps only rows whose files the stored version holds as they were checked.
 *
 * <p>Rows built from the records file alone (the one-file categories: a million-row CSV) go to a spill
 * file once there are more than {@link #IN_MEMORY} of them, written compactly and read back in order,
 * so that the heap holds a bounded part of the table whatever its size. The file is deleted by
 * {@link #close} (or, for a table nobody closes, when the table is collected).
 */
public final class RowsTable implements AutoCloseable {
    public static final List<String> BASE_COLUMNS = List.of("data_id", "filename", "extension", "label", "data_intent");
    /** Rows kept on the heap before the rest go to the spill file. */
    static final int IN_MEMORY = 20_000;
    private static final Cleaner CLEANER = Cleaner.create();

    /** One row: its values (in column order), the files it was built from, and the first file's digest (or null). */
    public record Row(List<Object> values, List<String> files, Digest firstFileDigest) {}

    private final List<String> columns;
    private final List<Row> rows = new ArrayList<>();
    private Spill spill;
    private Cleaner.Cleanable cleanable;
    private int size;
    /** Applied to each row as it is read (a bucket label is known only once every value was seen). */
    private UnaryOperator<List<Object>> onRead;
    /** Whether some row has files (such rows stay on the heap: a table with them never spills). */
    private boolean anyFiles;

    public RowsTable(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** A row built from the records file alone (one-file categories). */
    public synchronized void add(List<Object> values) {
        add(values, List.of(), null);
    }

    public synchronized void add(List<Object> values, List<String> files, Digest firstFileDigest) {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException("row has " + values.size() + " values for " + columns.size() + " columns");
        }
        boolean fileless = files.isEmpty() && firstFileDigest == null;
        anyFiles |= !fileless;
        if (spill == null && size >= IN_MEMORY && !anyFiles) {
            spill = new Spill();
            cleanable = CLEANER.register(this, spill::delete);
        }
        if (spill != null && fileless) {
            spill.write(values);
        } else if (spill != null) {
            throw new IllegalStateException("rows with files are kept in memory: a table spills only rows without");
        } else {
            rows.add(new Row(Collections.unmodifiableList(new ArrayList<>(values)), List.copyOf(files), firstFileDigest));
        }
        size++;
    }

    /** Rows read from now on have {@code change} applied (it gets a copy it may change and return). */
    public synchronized void transformOnRead(UnaryOperator<List<Object>> change) {
        UnaryOperator<List<Object>> before = onRead;
        onRead = before == null ? change : row -> change.apply(before.apply(row));
    }

    public List<String> columns() {
        return columns;
    }

    /** Every row in order, with its files; the table is read from its spill file as it goes. */
    public synchronized void forEach(Consumer<Row> each) {
        for (Row r : rows) {
            each.accept(transformed(r));
        }
        if (spill != null) {
            spill.readAll(values -> each.accept(transformed(new Row(values, List.of(), null))));
        }
    }

    private Row transformed(Row r) {
        if (onRead == null) {
            return r;
        }
        return new Row(Collections.unmodifiableList(onRead.apply(new ArrayList<>(r.values()))), r.files(), r.firstFileDigest());
    }

    /** The rows' values, all on the heap (for small tables and tests; ingestion reads with {@link #forEach}). */
    public synchronized List<List<Object>> rows() {
        List<List<Object>> all = new ArrayList<>(size);
        forEach(r -> all.add(r.values()));
        return all;
    }

    /** The rows with the files they were built from, all on the heap. */
    public synchronized List<Row> entries() {
        List<Row> all = new ArrayList<>(size);
        forEach(all::add);
        return all;
    }

    public synchronized int size() {
        return size;
    }

    /** Deletes the spill file, if the table has one. */
    @Override
    public synchronized void close() {
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    /**
     * Rows as a stream of tagged values in a temporary file. Values are what the categories put in rows:
     * text, whole numbers, numbers, booleans, nulls; anything else (lists, objects) as JSON.
     */
    private static final class Spill {
        private static final byte NULL = 0, TEXT = 1, LONG = 2, INT = 3, DOUBLE = 4, BOOLEAN = 5, JSON = 6;
        private final Path file;
        private DataOutputStream out;

        Spill() {
            try {
                file = Files.createTempFile("ferry-rows-", ".spill");
                file.toFile().deleteOnExit(); // a table neither closed nor collected before the process ends
                out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the rows table to a temporary file: " + e.getMessage(), e);
            }
        }

        void write(List<Object> values) {
            try {
                out.writeShort(values.size());
                for (Object v : values) {
                    switch (v) {
                        case null -> out.writeByte(NULL);
                        case String s -> {
                            out.writeByte(TEXT);
                            bytes(s.getBytes(StandardCharsets.UTF_8));
                        }
                        case Long l -> {
                            out.writeByte(LONG);
                            out.writeLong(l);
                        }
                        case Integer i -> {
                            out.writeByte(INT);
                            out.writeInt(i);
                        }
                        case Double d -> {
                            out.writeByte(DOUBLE);
                            out.writeDouble(d);
                        }
                        case Boolean b -> {
                            out.writeByte(BOOLEAN);
                            out.writeBoolean(b);
                        }
                        default -> {
                            out.writeByte(JSON);
                            bytes(Json.MAPPER.writeValueAsBytes(v));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the rows table to " + file + ": " + e.getMessage(), e);
            }
        }

        private void bytes(byte[] b) throws IOException {
            out.writeInt(b.length);
            out.write(b);
        }

        void readAll(Consumer<List<Object>> each) {
            try {
                out.flush();
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                    while (true) {
                        int n;
                        try {
                            n = in.readUnsignedShort();
                        } catch (EOFException end) {
                            return;
                        }
                        List<Object> values = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            byte tag = in.readByte();
                            values.add(switch (tag) {
                                case NULL -> null;
                                case TEXT -> new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
                                case LONG -> in.readLong();
                                case INT -> in.readInt();
                                case DOUBLE -> in.readDouble();
                                case BOOLEAN -> in.readBoolean();
                                case JSON -> Json.MAPPER.readValue(in.readNBytes(in.readInt()), Object.class);
                                default -> throw new IOException("damaged spill file (tag " + tag + ")");
                            });
                        }
                        each.accept(Collections.unmodifiableList(values));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the rows table back from " + file + ": " + e.getMessage(), e);
            }
        }

        void delete() {
            try {
                out.close();
            } catch (IOException ignored) {
                // deleted below all the same
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file: the system's clean-up takes it
            }
        }
    }
}
