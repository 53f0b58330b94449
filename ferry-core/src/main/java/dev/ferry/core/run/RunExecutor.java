package dev.ferry.core.run;

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

    /** Stops accepting tasks; running tasks are asked to stop at their next safe point. */
    @Override
    void close();
}
