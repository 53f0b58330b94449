package dev.ferry.core.ingest.dataset;

import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Json;
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

    /** The Parquet file of a table the rows engine wrote whole ({@link EngineTableCheck}), or null. */
    private Path written;

    public RowsTable(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /**
     * A table of {@code size} rows that the rows engine wrote as a stored table is written (a rows.parquet
     * file); the table owns the file and deletes it when closed. Its rows read back as stored: typed.
     */
    static RowsTable written(List<String> columns, Path parquet, int size) {
        RowsTable table = new RowsTable(columns);
        table.written = parquet;
        table.size = size;
        table.cleanable = CLEANER.register(table, () -> deleteQuietly(parquet));
        parquet.toFile().deleteOnExit(); // a table neither closed nor collected before the process ends
        return table;
    }

    /** The Parquet file the engine wrote this table as, or null for a table of rows added one by one. */
    public Path writtenFile() {
        return written;
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

    /** Whether some row was built from files of the dataset folder (else every row is the records file's alone). */
    public synchronized boolean namesFiles() {
        return anyFiles;
    }

    /** Every row in order, with its files; the table is read from its spill file as it goes. */
    public synchronized void forEach(Consumer<Row> each) {
        if (written != null) {
            readWritten(values -> each.accept(transformed(new Row(values, List.of(), null))));
            return;
        }
        for (Row r : rows) {
            each.accept(transformed(r));
        }
        if (spill != null) {
            spill.readAll(values -> each.accept(transformed(new Row(values, List.of(), null))));
        }
    }

    private void readWritten(Consumer<List<Object>> each) {
        try (java.sql.Connection c = dev.ferry.core.rows.ParquetRows.connect(written.getParent());
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT * FROM read_parquet("
                        + dev.ferry.core.rows.ParquetRows.literal(written) + ")")) {
            int n = columns.size();
            while (r.next()) {
                List<Object> values = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    values.add(r.getObject(i));
                }
                each.accept(Collections.unmodifiableList(values));
            }
        } catch (java.sql.SQLException e) {
            throw new UncheckedIOException(new IOException("cannot read the rows table back from " + written + ": "
                    + e.getMessage(), e));
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file: the system's clean-up takes it
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
     * text, whole numbers, numbers, booleans, nulls; anything else (lists, objects) as JSON. Written and
     * read through a buffer of its own over the file's channel: a value at a time through buffered
     * streams takes a lock per call, and the read-back was the top of a profile of a 1M-row push so.
     */
    private static final class Spill {
        private static final byte NULL = 0, TEXT = 1, LONG = 2, INT = 3, DOUBLE = 4, BOOLEAN = 5, JSON = 6;
        private static final int BUFFER = 1 << 20;
        private final Path file;
        private final java.nio.channels.FileChannel out;
        private final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(BUFFER);

        Spill() {
            try {
                file = Files.createTempFile("ferry-rows-", ".spill");
                file.toFile().deleteOnExit(); // a table neither closed nor collected before the process ends
                out = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the rows table to a temporary file: " + e.getMessage(), e);
            }
        }

        void write(List<Object> values) {
            try {
                room(2);
                buffer.putShort((short) values.size());
                for (Object v : values) {
                    switch (v) {
                        case null -> put(NULL);
                        case String s -> bytes(TEXT, s.getBytes(StandardCharsets.UTF_8));
                        case Long l -> {
                            put(LONG);
                            room(8);
                            buffer.putLong(l);
                        }
                        case Integer i -> {
                            put(INT);
                            room(4);
                            buffer.putInt(i);
                        }
                        case Double d -> {
                            put(DOUBLE);
                            room(8);
                            buffer.putDouble(d);
                        }
                        case Boolean b -> {
                            put(BOOLEAN);
                            put((byte) (b ? 1 : 0));
                        }
                        default -> bytes(JSON, Json.MAPPER.writeValueAsBytes(v));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the rows table to " + file + ": " + e.getMessage(), e);
            }
        }

        private void put(byte b) throws IOException {
            room(1);
            buffer.put(b);
        }

        private void bytes(byte tag, byte[] b) throws IOException {
            room(5);
            buffer.put(tag).putInt(b.length);
            if (b.length <= buffer.remaining()) {
                buffer.put(b);
                return;
            }
            drain();
            java.nio.ByteBuffer whole = java.nio.ByteBuffer.wrap(b);
            while (whole.hasRemaining()) {
                out.write(whole);
            }
        }

        /** Makes room for {@code n} more bytes in the buffer, writing it out if it has not. */
        private void room(int n) throws IOException {
            if (buffer.remaining() < n) {
                drain();
            }
        }

        private void drain() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            buffer.clear();
        }

        void readAll(Consumer<List<Object>> each) {
            try {
                drain();
                try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
                    Reader r = new Reader(in);
                    while (r.more()) {
                        int n = r.unsignedShort();
                        List<Object> values = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            byte tag = r.bytes(1).get();
                            values.add(switch (tag) {
                                case NULL -> null;
                                case TEXT -> r.text(r.bytes(4).getInt());
                                case LONG -> r.bytes(8).getLong();
                                case INT -> r.bytes(4).getInt();
                                case DOUBLE -> r.bytes(8).getDouble();
                                case BOOLEAN -> r.bytes(1).get() != 0;
                                case JSON -> Json.MAPPER.readValue(r.array(r.bytes(4).getInt()), Object.class);
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

        /** Reads the file through one buffer, refilled as values are taken from it. */
        private static final class Reader {
            private final java.nio.channels.FileChannel in;
            private java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(BUFFER).flip();
            private boolean ended;

            Reader(java.nio.channels.FileChannel in) {
                this.in = in;
            }

            boolean more() throws IOException {
                if (!buffer.hasRemaining() && !ended) {
                    fill(1);
                }
                return buffer.hasRemaining();
            }

            int unsignedShort() throws IOException {
                return Short.toUnsignedInt(bytes(2).getShort());
            }

            /** The buffer, holding at least {@code n} more bytes at its position. */
            java.nio.ByteBuffer bytes(int n) throws IOException {
                if (buffer.remaining() < n) {
                    fill(n);
                }
                return buffer;
            }

            String text(int length) throws IOException {
                java.nio.ByteBuffer b = bytes(length);
                String s = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
                b.position(b.position() + length);
                return s;
            }

            byte[] array(int length) throws IOException {
                byte[] a = new byte[length];
                bytes(length).get(a);
                return a;
            }

            private void fill(int n) throws IOException {
                if (buffer.capacity() < n) {
                    java.nio.ByteBuffer bigger = java.nio.ByteBuffer.allocate(n);
                    bigger.put(buffer);
                    buffer = bigger.flip();
                }
                buffer.compact();
                while (buffer.position() < n && !ended) {
                    ended = in.read(buffer) < 0;
                }
                buffer.flip();
                if (buffer.remaining() < n && n > 1) {
                    throw new EOFException("the spill file ends inside a value");
                }
            }
        }

        void delete() {
            try {
                out.close();
            } catch (IOException ignored) {
                // deleted below all the same
            }
            deleteQuietly(file);
        }
    }
}
