package dev.ferry.core.run;

/** What runs do: the work of each run kind, reporting its phases and progress through the context. */
public interface RunWorker {
    /** Does the run; throws FerryException to fail it, RunCancelled when the context says stop. */
    RunOutcome run(RunSpec spec, RunContext context);
}
