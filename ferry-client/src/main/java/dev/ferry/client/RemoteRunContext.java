package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.run.ProgressCounters;
import dev.ferry.core.run.RunCancelled;
import dev.ferry.core.run.RunContext;
import dev.ferry.core.run.RunState;
import dev.ferry.core.run.WorkerReport;
import dev.ferry.core.transfer.TransferListener;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@link RunContext} of a worker that does a server's run elsewhere (a Kubernetes Job's
 * {@code ferry worker --run ID}): each call becomes a report to the server that holds the run, whose
 * Orchestrator records it as it would for its own threads. Counters are kept here and sent a few times
 * a second; every answer says whether the run was asked to stop.
 *
 * <p>The work outlives its server: when the server is away (restarting, or a new one not holding the run
 * yet), each report is sent again until {@code patience} runs out, so the next server that takes the
 * run up hears every step. Each report is also written to {@code echo}, the worker's own log.
 */
public final class RemoteRunContext implements RunContext, AutoCloseable {
    private static final long PROGRESS_MILLIS = 250;
    /** The worker's own log gets the counters this often at most (the server's events get them 4× a second). */
    private static final long ECHO_PROGRESS_MILLIS = 5_000;
    /** How long a worker keeps reporting to a server that is away, unless FERRY_WORKER_PATIENCE says otherwise. */
    public static final Duration DEFAULT_PATIENCE = Duration.ofMinutes(10);

    private final HttpFerry server;
    private final String runId;
    private final Duration patience;
    private final java.util.function.Consumer<String> echo;
    private volatile boolean cancelled;
    private final ProgressCounters counters = new ProgressCounters();
    private WorkerReport.Progress sent;
    private long echoedProgressAt;
    private String claimed;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ferry-worker-progress");
        t.setDaemon(true);
        return t;
    });

    public RemoteRunContext(HttpFerry server, String runId, Duration patience,
            java.util.function.Consumer<String> echo) {
        this.server = server;
        this.runId = runId;
        this.patience = patience;
        this.echo = echo;
        ticker.scheduleAtFixedRate(this::sendProgress, PROGRESS_MILLIS, PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Calls the server, again and again while it is away (UNREACHABLE: not answering, stopping, or not
     * holding the run yet), until {@code patience} runs out; any other failure at once.
     */
    public <T> T patiently(String doing, Supplier<T> call) {
        Instant giveUp = Instant.now().plus(patience);
        long wait = 200;
        boolean told = false;
        while (true) {
            try {
                T answer = call.get();
                if (told) {
                    say("the server answers again");
                }
                return answer;
            } catch (FerryException e) {
                if (e.code() != ErrorCode.UNREACHABLE || Instant.now().isAfter(giveUp)) {
                    throw e;
                }
                if (!told) {
                    say(doing + ": " + e.getMessage() + "; trying again for up to " + patience.toMinutes() + " min");
                    told = true;
                }
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunCancelled(runId);
            }
            wait = Math.min(wait * 2, 5_000);
        }
    }

    private synchronized void send(WorkerReport report) {
        cancelled |= patiently("reporting to the server", () -> server.report(runId, report));
    }

    /** The counters, when they moved since the last report (best effort: a failure waits for the next tick). */
    private synchronized void sendProgress() {
        WorkerReport.Progress now = counters.snapshot();
        if (now.equals(sent)) {
            return;
        }
        try {
            cancelled |= server.report(runId, now);
            sent = now;
        } catch (RuntimeException e) {
            // the next tick tries again; the end report says whether the run really ended
        }
        long millis = System.currentTimeMillis();
        boolean moved = now.filesTotal() + now.bytesTotal() + now.recordsTotal() + now.recordsDone() > 0;
        if (moved && millis - echoedProgressAt >= ECHO_PROGRESS_MILLIS) {
            echoedProgressAt = millis;
            say("progress files " + now.filesDone() + "/" + now.filesTotal() + " bytes " + now.bytesDone() + "/"
                    + now.bytesTotal() + " records " + now.recordsDone() + "/" + now.recordsTotal());
        }
    }

    /** A line of the worker's own log. */
    public void say(String line) {
        if (echo != null) {
            echo.accept(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
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
        say(state.id() + (message == null ? "" : ": " + message));
        send(new WorkerReport.Enter(state, message));
    }

    @Override
    public void claim(String target, String detail) {
        if (target.equals(claimed)) {
            send(new WorkerReport.Claim(target, detail)); // a push claims its table, then its upload again
            return;
        }
        claimed = target;
        say("waiting for the turn on " + target + (detail == null ? "" : " (" + detail + ")"));
        send(new WorkerReport.Claim(target, detail)); // answered once the run has its turn
    }

    @Override
    public TransferListener transfers() {
        return counters; // counted here, sent by the ticker
    }

    @Override
    public void records(long done, long total) {
        counters.records(done, total);
    }

    @Override
    public void log(String level, String message) {
        say(level + " " + message);
        send(new WorkerReport.Log(level, message));
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    /** The last report: the work's end. Progress up to it is sent first. */
    public void end(WorkerReport report) {
        ticker.shutdownNow();
        echoedProgressAt = 0;
        sendProgress();
        say(switch (report) {
            case WorkerReport.Done d -> d.delegatedBecause() == null ? "done" : "done (delegated: " + d.delegatedBecause() + ")";
            case WorkerReport.Failed f -> "failed " + f.code() + ": " + f.message();
            default -> "ended";
        });
        send(report);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
