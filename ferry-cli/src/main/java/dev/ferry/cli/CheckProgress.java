package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.ingest.dataset.RecordProgress;

/**
 * How far a command's dataset checks are, on its terminal: a "Checking" bar of records once they have
 * taken a second (a small dataset's checks draw nothing), and a stop when the command was interrupted
 * (its client went away: the bar's next write found nobody and interrupted it).
 */
final class CheckProgress implements RecordProgress, AutoCloseable {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;

    private final CliContext ctx;
    private final long started = System.nanoTime();
    private ProgressDisplay.RecordsBar bar;

    CheckProgress(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void records(long done, long total) {
        if (Thread.currentThread().isInterrupted()) {
            throw new FerryException(ErrorCode.INTERRUPTED, "the dataset checks were interrupted", null);
        }
        if (bar == null) {
            if (System.nanoTime() - started < SHOW_AFTER_NANOS) {
                return;
            }
            bar = ProgressDisplay.records(ctx, "Checking");
        }
        bar.update(done, total);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
