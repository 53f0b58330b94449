package dev.ferry.core.run;

/** One run handed to an executor: what it asks for, where it reports, and how to do it on this machine. */
public interface RunTask {
    String runId();

    RunSpec spec();

    /** Does the whole run on the calling thread, reporting to the orchestrator, and returns when it ended. */
    void runHere();

    /**
     * Applies what a worker elsewhere reports (a Job's {@code ferry worker}); its Done or Failed ends the
     * run. Returns whether the run was asked to stop (the worker stops at its next safe point).
     */
    boolean report(WorkerReport report);

    /**
     * Ends the run because its work elsewhere failed or vanished (a Job that failed or was deleted):
     * failed with {@code why}, or cancelled if it was asked to stop.
     */
    void abandon(String why);

    /** Whether the run has ended. */
    boolean ended();

    /** Whether the run was asked to stop (then its work elsewhere, a Job, may be stopped as well). */
    boolean cancelRequested();
}
