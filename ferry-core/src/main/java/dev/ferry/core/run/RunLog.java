package dev.ferry.core.run;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The metadata seam for runs: each run's spec, owner and lease, and its append-only event log. Several
 * processes (servers sharing one PostgreSQL) may use one log at once; implementations must be safe for
 * that. Every implementation must pass {@code RunLogContract}.
 */
public interface RunLog {

    /**
     * Records a new run with its first event and who runs it ({@link RunOwner#id()}),
     * in one transaction. CONFLICT when another run already holds the idempotency key (the caller then
     * returns that run).
     */
    void createRun(String id, String idempotencyKey, RunSpec spec, String owner,
            LoggedEvent first);

    /** The run, folded from its state-moving events. */
    Optional<Run> findRun(String id);

    Optional<Run> findRunByKey(String idempotencyKey);

    /** The newest {@code limit} runs, oldest first. */
    List<Run> listRuns(int limit);

    /** A run not in a terminal state, and who runs it (null for runs recorded before owners were). */
    record UnfinishedRun(Run run, String owner) {}

    /** Extends the leases of these runs (their server is alive and runs them), and their claims, to {@code until}. */
    void renewLeases(Collection<String> runIds, Instant until);

    /**
     * Makes {@code owner} the run's owner with a lease until {@code until}, if its owner is still
     * {@code formerOwner} (null: recorded without one): a server taking up a run whose work goes on
     * elsewhere (a Job) after its own server stopped. Returns false when another process took it up first.
     */
    boolean adopt(String runId, String formerOwner, String owner, Instant until);

    /** Drops a run's lease (it ended): runs with leases are then only the ones still running. */
    void endLease(String runId);

    /** A run with a lease that ran out before {@code t}: its id, who ran it, and when the lease ran out. */
    record ExpiredLease(String runId, String owner, Instant leaseUntil) {}

    /** The runs whose lease ran out before {@code t} (an index lookup: cheap to ask every heartbeat). */
    List<ExpiredLease> leasesBefore(Instant t);

    /** The runs not in a terminal state (what a starting process may have to settle), oldest first. */
    List<UnfinishedRun> unfinishedRuns();

    /** Appends one event; its sequence number must be the run's next. */
    void appendEvent(LoggedEvent event);

    /** A run's events with {@code seq > after}, in order, at most {@code limit}. */
    List<LoggedEvent> events(String runId, long after, int limit);

    // ---- claims: named turns that one holder at a time has, across every process on the log

    /**
     * Takes claim {@code name} for {@code holder} until {@code until}, if nobody holds it, its holder's
     * lease ran out before {@code now}, or {@code holder} holds it already (then it is renewed).
     * Returns empty when {@code holder} has it, else who does.
     */
    Optional<String> claim(String name, String holder, Instant now, Instant until);

    /** Gives up a claim, if {@code holder} still has it. */
    void release(String name, String holder);
}
