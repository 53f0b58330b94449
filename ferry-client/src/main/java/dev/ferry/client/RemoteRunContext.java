package dev.ferry.client;

import dev.ferry.core.run.ProgressCounters;
import dev.ferry.core.run.RunContext;
import dev.ferry.core.run.RunState;
import dev.ferry.core.run.WorkerReport;
import dev.ferry.core.transfer.TransferListener;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    private final ProgressCounters counters = new ProgressCounters();
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
        WorkerReport.Progress now = counters.snapshot();
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
            counters.reset();
            sent = counters.snapshot();
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
        counters.records(done, total);
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
        counters.found(bytes);
    }

    @Override
    public void progressed(long bytes) {
        counters.progressed(bytes);
    }

    @Override
    public void fileDone() {
        counters.fileDone();
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
