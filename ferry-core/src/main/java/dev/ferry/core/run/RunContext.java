package dev.ferry.core.run;

import dev.ferry.core.transfer.TransferListener;

/**
 * What a run's work reports to, and asks of, the orchestrator. Counters are cheap (atomic adds); the
 * orchestrator turns them into progress events a few times a second, so hot loops may call them freely.
 */
public interface RunContext {
    String runId();

    /** Moves the run forward (planning, staging, executing); the final state is the orchestrator's. */
    void enter(RunState state, String message);

    /**
     * Names what the run writes to and waits until no other run writes to it: runs on one table
     * take turns, runs on different tables go in parallel. Cancellation interrupts the wait.
     */
    void claim(String target, String detail);

    /** File and byte counts of the current phase, as a listener for uploads and downloads. */
    TransferListener transfers();

    /** Records checked so far, and how many there are (0 if not known yet). */
    void records(long done, long total);

    void log(String level, String message);

    boolean cancelled();

    /** A safe point: throws RunCancelled if the run was asked to stop. */
    default void checkCancelled() {
        if (cancelled()) {
            throw new RunCancelled(runId());
        }
    }

    /** A context that records nothing and is never cancelled (direct calls outside any run). */
    static RunContext detached() {
        return listening(TransferListener.NONE);
    }

    /** A detached context that passes transfer progress to {@code listener}. */
    static RunContext listening(TransferListener listener) {
        return new RunContext() {
            @Override
            public String runId() {
                return "-";
            }

            @Override
            public void enter(RunState state, String message) {}

            @Override
            public void claim(String target, String detail) {}

            @Override
            public TransferListener transfers() {
                return listener;
            }

            @Override
            public void records(long done, long total) {}

            @Override
            public void log(String level, String message) {}

            @Override
            public boolean cancelled() {
                return false;
            }
        };
    }
}
