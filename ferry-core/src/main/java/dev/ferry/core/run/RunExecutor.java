package dev.ferry.core.run;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where a run's work happens. The {@link Orchestrator} decides when a run starts and records what it
 * reports; an executor only decides where the work runs: on a thread of this server
 * ({@link ThreadPoolRunExecutor}), or elsewhere (a Kubernetes Job that reports back over the API).
 */
public interface RunExecutor extends AutoCloseable {

    /** A short name for status output ({@code threads}, {@code kubernetes}). */
    String name();

    /** Starts the task and returns at once; the task reports through its context until it ends. */
    void start(RunTask task);

    /**
     * Whether a run's work goes on when this server stops (a Job's does, a thread's does not). Then a
     * stopping server leaves its runs running, and the next server takes them up with {@link #reattach}
     * instead of settling them failed.
     */
    default boolean outlivesServer() {
        return false;
    }

    /**
     * Takes up a run started by a server that stopped: watches its work elsewhere again, as
     * {@link #start} would have, without starting it anew. Returns false when that work is gone (no Job):
     * the run is then settled failed.
     */
    default boolean reattach(RunTask task) {
        return false;
    }

    /**
     * The output of the process that does or did the run's work elsewhere (a Job pod's log), if this
     * executor has one for it; empty for work on this server's threads, whose events are its whole log.
     */
    default Optional<WorkerLog> workerLog(String runId) {
        return Optional.empty();
    }

    /** A worker's output, copied as it is. */
    interface WorkerLog {
        /** Copies the output so far; with {@code follow}, then the rest as it comes, until the worker ends. */
        void copyTo(OutputStream out, boolean follow) throws IOException;
    }

    /** Stops accepting tasks; running tasks are asked to stop at their next safe point. */
    @Override
    void close();
}
