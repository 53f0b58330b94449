package dev.ferry.cli;

import dev.ferry.core.transfer.TransferListener;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A byte progress bar on stderr for uploads and downloads. Only on a terminal and without NO_COLOR;
 * otherwise {@link #create} returns a listener that prints nothing.
 */
final class ProgressDisplay implements TransferListener, AutoCloseable {
    private final ProgressBar bar;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong files = new AtomicLong();

    private ProgressDisplay(String task, java.io.PrintStream stream, int columns) {
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUnit(" MiB", 1 << 20)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .setConsumer(columns > 0 ? new ConsoleProgressBarConsumer(stream, columns)
                        : new ConsoleProgressBarConsumer(stream))
                .build();
    }

    /** A progress bar if {@code ctx} is interactive, else a silent listener. */
    static Handle create(CliContext ctx, String task) {
        if (!ctx.interactive || ctx.json()) {
            return new Handle(TransferListener.NONE, () -> {});
        }
        ProgressDisplay display = new ProgressDisplay(task, ctx.progressStream, ctx.columns);
        return new Handle(display, display::close);
    }

    /** The listener to pass on, and how to clear the bar afterwards. */
    record Handle(TransferListener listener, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
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
