package dev.ferry.core.ingest.dataset;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.QueryProgress;

/**
 * Runs the rows engine's long statements (a large CSV's read, the checks' pass, the Parquet write) on a
 * thread of their own while the calling thread hears how far each is, every {@link #TICK_MILLIS}: so
 * a run's progress moves during a read of many seconds, and a cancelled run stops at once. The calling
 * thread's {@link Tick} may throw — a cancelled run's progress does — and then the statement is
 * interrupted, its thread waited for, and that exception is what the caller gets.
 */
final class WatchedStatement {
    static final long TICK_MILLIS = 200;
    /** A system property that shortens {@link #TICK_MILLIS}: tests see ticks on small tables. */
    static final String TICK_PROPERTY = "ferry.rows-engine.tick-millis";

    /** Where a statement's progress goes, on the calling thread; it may throw to stop the statement. */
    @FunctionalInterface
    interface Tick {
        /** The engine's estimate: rows processed so far of the rows it expects to process. */
        void at(long rowsProcessed, long rowsExpected);
    }

    /** The statement's work. */
    @FunctionalInterface
    interface Work {
        void run() throws SQLException;
    }

    private final Statement statement;
    private final DuckDBPreparedStatement engine;
    private final long tickMillis = Long.getLong(TICK_PROPERTY, TICK_MILLIS);

    /** Turns on the engine's progress tracking for {@code statement}'s connection (without printing it). */
    WatchedStatement(Statement statement) throws SQLException {
        this.statement = statement;
        this.engine = statement.unwrap(DuckDBPreparedStatement.class);
        statement.execute("SET enable_progress_bar = true");
        statement.execute("SET enable_progress_bar_print = false");
        statement.execute("SET progress_bar_time = 0"); // tracked from the start, not after two seconds
    }

    /** Runs {@code work} (a statement of this one's) while {@code tick} hears its progress. */
    void run(Work work, Tick tick) throws SQLException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("ferry-rows-engine").start(() -> {
            try {
                work.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            while (true) {
                try {
                    done.get(tickMillis, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException stillRunning) {
                    QueryProgress p = engine.getQueryProgress();
                    if (p.getTotalRowsToProcess() > 0) {
                        tick.at(p.getRowsProcessed(), p.getTotalRowsToProcess());
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new SQLException(cause);
        } catch (InterruptedException e) {
            stop(done);
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        } catch (RuntimeException | Error stopped) {
            stop(done);
            throw stopped;
        }
    }

    /** Interrupts the running statement and waits until its thread has let go of it. */
    private void stop(CompletableFuture<Void> done) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            // nothing running any more
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException interrupted) {
            // what an interrupted statement ends with
        }
    }
}
