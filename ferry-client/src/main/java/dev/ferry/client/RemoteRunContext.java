package dev.ferry.client;

import dev.ferry.core.run.RunContext;
import dev.ferry.core.run.RunState;
import dev.ferry.core.run.WorkerReport;
import dev.ferry.core.transfer.TransferListener;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link RunContext} of a worker that does a server's run elsewhere (a Kubernetes Job's
 * {@code ferry worker --run ID}): each call becomes a report to the server that holds the run, whose
 * Orchestrator records it as it would for its own threads. Counters are kept here and sent a few times
 * a second; every answer says whether the run was asked to stop.
 */
public final class RemoteRunContext implements RunContext, TransferListener, AutoCloseable {
    private static final long PROGRESS_MILLIS = 250;

    private final HttpFerry server;
    private final String runId;
    private volatile boolean cancelled;
    private final AtomicLong filesDone = new AtomicLong();
    private final AtomicLong filesTotal = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong bytesTotal = new AtomicLong();
    private final AtomicLong recordsDone = new AtomicLong();
    private final AtomicLong recordsTotal = new AtomicLong();
    private WorkerReport.Progress sent;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ferry-worker-progress");
        t.setDaemon(true);
        return t;
    });

    public RemoteRunContext(HttpFerry server, String runId) {
        this.server = server;
        this.runId = runId;
        ticker.scheduleAtFixedRate(this::sendProgress, PROGRESS_MILLIS, PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
    }

    private synchronized void send(WorkerReport report) {
        cancelled |= server.report(runId, report);
    }

    /** The counters, when they moved since the last report (progress is best effort: a failure waits for the next tick). */
    private synchronized void sendProgress() {
        WorkerReport.Progress now = new WorkerReport.Progress(filesDone.get(), filesTotal.get(), bytesDone.get(),
                bytesTotal.get(), recordsDone.get(), recordsTotal.get());
        if (now.equals(sent)) {
            return;
        }
        try {
            send(now);
            sent = now;
        } catch (RuntimeException e) {
            // the next tick tries again; the end report says whether the run really ended
        }
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public void enter(RunState state, String message) {
        checkCancelled();
        sendProgress();
        synchronized (this) {
            for (AtomicLong counter : new AtomicLong[] {filesDone, filesTotal, bytesDone, bytesTotal, recordsDone, recordsTotal}) {
                counter.set(0);
            }
            sent = new WorkerReport.Progress(0, 0, 0, 0, 0, 0);
        }
        send(new WorkerReport.Enter(state, message));
    }

    @Override
    public void claim(String target, String detail) {
        send(new WorkerReport.Claim(target, detail)); // answered once the run has its turn
    }

    @Override
    public TransferListener transfers() {
        return this;
    }

    @Override
    public void records(long done, long total) {
        recordsDone.set(done);
        recordsTotal.set(total);
    }

    @Override
    public void log(String level, String message) {
        send(new WorkerReport.Log(level, message));
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public void found(long bytes) {
        filesTotal.incrementAndGet();
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

    /** The last report: the work's end. Progress up to it is sent first. */
    public void end(WorkerReport report) {
        ticker.shutdownNow();
        sendProgress();
        send(report);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
