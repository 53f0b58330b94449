package dev.ferry.core.run;

/** One run handed to an executor: what it asks for, where it reports, and how to do it on this machine. */
public interface RunTask {
    String runId();

    RunSpec spec();

    /** Does the whole run on the calling thread, reporting to the orchestrator, and returns when it ended. */
    void runHere();
}
