package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.FileStamp;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.rows.ParquetRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A large CSV read into the rows engine ahead of its check, on a thread of its own, while the schema
 * is inferred from it in Java: the two reads of a push without --schema overlap instead of following
 * each other. The check takes the engine's table if the file is unchanged and read with the same
 * options, else reads it itself; a read nobody takes is let go after {@link #KEEP_SECONDS}.
 */
final class EnginePreload {
    static final long KEEP_SECONDS = 60;

    /** One file being read, as it was when the read began. */
    private record Read(FileStamp stamp, int columns, char delimiter, char quote, CompletableFuture<Connection> table) {}

    private static final Map<Path, Read> READS = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService EXPIRY = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ferry-rows-preload-expiry").factory());

    private EnginePreload() {}

    /** Begins reading {@code file} (its {@code columns} columns) into the engine, if the engine would check it. */
    static void start(Path file, int columns, IngestConfig.CsvOptions csv) {
        FileStamp stamp = FileStamp.of(file);
        try {
            if (stamp == null || columns == 0 || csv.escape() != null || csv.quote() == csv.delimiter()
                    || Files.size(file) < Long.getLong(EngineTableCheck.MIN_BYTES_PROPERTY, EngineTableCheck.MIN_BYTES)) {
                return;
            }
        } catch (IOException e) {
            return;
        }
        Path key = file.toAbsolutePath().normalize();
        Read read = new Read(stamp, columns, csv.delimiter(), csv.quote(), new CompletableFuture<>());
        release(READS.put(key, read));
        Thread.ofPlatform().daemon().name("ferry-rows-preload").start(() -> {
            Connection c = null;
            try {
                c = ParquetRows.connect(Path.of(System.getProperty("java.io.tmpdir")));
                try (Statement s = c.createStatement()) {
                    s.execute(EngineTableCheck.readTable(file, columns, csv.delimiter(), csv.quote(), true));
                }
                read.table().complete(c);
            } catch (Throwable e) {
                close(c);
                read.table().completeExceptionally(e);
            }
        });
        EXPIRY.schedule(() -> {
            if (READS.remove(key, read)) {
                release(read);
            }
        }, KEEP_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * The engine's connection holding {@code file} as table {@code r} (every column text, and its
     * records' content_hash), read ahead with these options from the file as it is now; null when
     * there is none (the caller reads it), or its read failed (the caller's read says why).
     */
    static Connection take(Path file, int columns, IngestConfig.CsvOptions csv) {
        Read read = READS.remove(file.toAbsolutePath().normalize());
        if (read == null) {
            return null;
        }
        if (read.columns() != columns || read.delimiter() != csv.delimiter() || read.quote() != csv.quote()
                || csv.escape() != null || !read.stamp().equals(FileStamp.of(file))) {
            release(read);
            return null;
        }
        try {
            return read.table().get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(read);
            return null;
        }
    }

    /** Waits until a read of {@code file} begun ahead has ended, if there is one (tests change the file after it). */
    static void awaitRead(Path file) {
        Read read = READS.get(file.toAbsolutePath().normalize());
        if (read != null) {
            read.table().handle((c, e) -> null).join();
        }
    }

    /** Closes a read nobody will take, once it has ended. */
    private static void release(Read read) {
        if (read != null) {
            read.table().whenComplete((c, e) -> close(c));
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // an in-memory database: nothing to keep
            }
        }
    }
}
