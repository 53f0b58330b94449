package dev.ferry.core.run;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters of a run's current phase — files and bytes found and done, records checked — as the
 * work's hot loops bump them (atomic adds); read a few times a second into a progress report. Kept by
 * the Orchestrator for work on its threads and by a remote worker's context for work elsewhere.
 */
public final class ProgressCounters implements dev.ferry.core.transfer.TransferListener {
    private final AtomicLong filesDone = new AtomicLong();
    private final AtomicLong filesTotal = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong bytesTotal = new AtomicLong();
    private final AtomicLong recordsDone = new AtomicLong();
    private final AtomicLong recordsTotal = new AtomicLong();

    /** A file of {@code bytes} to do. */
    @Override
    public void found(long bytes) {
        filesTotal.incrementAndGet();
        bytesTotal.addAndGet(bytes);
    }

    /** {@code files} files of {@code bytes} in all to do. */
    @Override
    public void foundAll(long files, long bytes) {
        filesTotal.addAndGet(files);
        bytesTotal.addAndGet(bytes);
    }

    @Override
    public void progressed(long bytes) {
        bytesDone.addAndGet(bytes);
    }

    @Override
    public void fileDone() {
        filesDone.incrementAndGet();
    }

    public void records(long done, long total) {
        recordsDone.set(done);
        recordsTotal.set(total);
    }

    /** A new phase counts from zero. */
    public void reset() {
        set(new WorkerReport.Progress(0, 0, 0, 0, 0, 0));
    }

    /** Takes the counters a worker elsewhere reported. */
    public void set(WorkerReport.Progress p) {
        filesDone.set(p.filesDone());
        filesTotal.set(p.filesTotal());
        bytesDone.set(p.bytesDone());
        bytesTotal.set(p.bytesTotal());
        recordsDone.set(p.recordsDone());
        recordsTotal.set(p.recordsTotal());
    }

    /** The counters as they stand. */
    public WorkerReport.Progress snapshot() {
        return new WorkerReport.Progress(filesDone.get(), filesTotal.get(), bytesDone.get(), bytesTotal.get(),
                recordsDone.get(), recordsTotal.get());
    }
}
