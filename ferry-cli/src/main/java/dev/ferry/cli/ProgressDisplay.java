package dev.ferry.cli;

import dev.ferry.core.transfer.TransferListener;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr: bytes (and files) for uploads and downloads, records for an ingestion.
 * Only on a terminal and without NO_COLOR or JSON output; otherwise the factories return ones that
 * print nothing.
 */
final class ProgressDisplay implements TransferListener, AutoCloseable {
    private final ProgressBar bar;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong files = new AtomicLong();

    private ProgressDisplay(ProgressBar bar) {
        this.bar = bar;
    }

    private static ProgressBar bar(CliContext ctx, String task, String unit, long unitSize) {
        PrintStream stream = ctx.progressStream;
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUnit(unit, unitSize)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .setConsumer(ctx.columns > 0 ? new ConsoleProgressBarConsumer(stream, ctx.columns)
                        : new ConsoleProgressBarConsumer(stream))
                .build();
    }

    private static boolean draws(CliContext ctx) {
        return ctx.interactive && !ctx.json();
    }

    /**
     * A byte progress bar if {@code ctx} is interactive, else a silent listener. The bar is drawn from
     * the first progress on, so a step that turns out to move nothing (a local server reads the folder
     * itself; nothing is uploaded first) draws no bar at all.
     */
    static Handle create(CliContext ctx, String task) {
        if (!draws(ctx)) {
            return new Handle(TransferListener.NONE, () -> {});
        }
        OnFirstProgress lazy = new OnFirstProgress(() -> new ProgressDisplay(bar(ctx, task, " MiB", 1 << 20)));
        return new Handle(lazy, lazy::close);
    }

    /**
     * A bar made when the first progress arrives (from any of the threads that report it). Progress
     * is reported per file and chunk by every upload thread: once the bar exists, reading the volatile
     * field is all it costs; only making it takes the lock.
     */
    private static final class OnFirstProgress implements TransferListener {
        private final java.util.function.Supplier<ProgressDisplay> make;
        private volatile TransferListener display;
        private boolean closed;

        OnFirstProgress(java.util.function.Supplier<ProgressDisplay> make) {
            this.make = make;
        }

        private TransferListener display() {
            TransferListener shown = display;
            if (shown != null) {
                return shown;
            }
            synchronized (this) {
                if (display == null) {
                    display = closed ? TransferListener.NONE : make.get();
                }
                return display;
            }
        }

        @Override
        public void found(long bytes) {
            display().found(bytes);
        }

        @Override
        public void progressed(long bytes) {
            display().progressed(bytes);
        }

        @Override
        public void fileDone() {
            display().fileDone();
        }

        synchronized void close() {
            closed = true;
            if (display instanceof ProgressDisplay bar) {
                bar.close();
            }
        }
    }

    /** A bar of records checked if {@code ctx} is interactive, else one that draws nothing. */
    static RecordsBar records(CliContext ctx, String task) {
        if (!draws(ctx)) {
            return RecordsBar.NONE;
        }
        ProgressBar bar = bar(ctx, task, " records", 1);
        return new RecordsBar() {
            @Override
            public void update(long done, long total) {
                if (total > 0) {
                    bar.maxHint(total);
                }
                bar.stepTo(done);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    /** The listener to pass on, and how to clear the bar afterwards. */
    record Handle(TransferListener listener, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }

    /** Records done of total (0: not known yet), as an ingestion's progress events tell them. */
    interface RecordsBar extends AutoCloseable {
        RecordsBar NONE = new RecordsBar() {
            @Override
            public void update(long done, long total) {}

            @Override
            public void close() {}
        };

        void update(long done, long total);

        @Override
        void close();
    }

    @Override
    public void found(long bytes) {
        bar.maxHint(total.addAndGet(bytes));
    }

    @Override
    public void progressed(long bytes) {
        bar.stepBy(bytes);
    }

    @Override
    public void fileDone() {
        bar.setExtraMessage(" " + files.incrementAndGet() + " files");
    }

    @Override
    public void close() {
        bar.close();
    }
}
