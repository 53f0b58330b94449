package dev.ferry.core.run;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Ids;
import dev.ferry.core.model.Names;
import dev.ferry.core.transfer.TransferListener;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives every run, whoever asked for it and wherever it executes, and is the only writer of the
 * event log. A run's state is what its events say: clients fold the same events into the same state.
 */
public final class Orchestrator implements AutoCloseable {
    /** How often live counters become progress events (only when they changed). */
    private static final long PROGRESS_MILLIS = 250;
    /** How often a run waiting for another server's run on its table asks again. */
    private static final long CLAIM_POLL_MILLIS = 250;
    /** A watcher with nothing to read asks its sink whether to go on this often. */
    private static final long IDLE_MILLIS = 10_000;
    private static final int PAGE = 1000;

    private final RunLog log;
    private final RunWorker worker;
    private final RunExecutor executor;
    private final RunOwner owner;
    private final Map<String, LiveRun> live = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> targets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    /** The last run id given out here: runs submitted in one millisecond still list in submission order. */
    private final AtomicReference<String> lastRunId = new AtomicReference<>();

    /** How long a run's lease holds without a heartbeat; FERRY_RUN_LEASE (a duration) sets it. */
    public static final java.time.Duration DEFAULT_LEASE = java.time.Duration.ofSeconds(30);
    public static final String LEASE_ENV = "FERRY_RUN_LEASE";

    private final java.time.Duration lease;
    /** Set as the server stops: runs whose work goes on elsewhere are left for the next server to take up. */
    private volatile boolean closing;

    public Orchestrator(RunLog log, RunWorker worker, RunExecutor executor, RunOwner owner) {
        this(log, worker, executor, owner, leaseFromEnv());
    }

    /**
     * {@code lease}: how long each run of this orchestrator is held by it without a heartbeat (it
     * renews every third of that); a run of any orchestrator on the same catalog whose lease ran out
     * is settled here, as its server is gone.
     */
    public Orchestrator(RunLog log, RunWorker worker, RunExecutor executor, RunOwner owner, java.time.Duration lease) {
        this.log = log;
        this.worker = worker;
        this.executor = executor;
        this.owner = owner;
        this.lease = lease;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tickAll, PROGRESS_MILLIS, PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
        long beat = Math.max(50, lease.toMillis() / 3);
        ticker.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    }

    private static java.time.Duration leaseFromEnv() {
        String text = System.getenv(LEASE_ENV);
        if (text == null || text.isBlank()) {
            return DEFAULT_LEASE;
        }
        try {
            return dev.ferry.core.model.Durations.parse(text);
        } catch (RuntimeException e) {
            return DEFAULT_LEASE;
        }
    }

    /**
     * Renews the leases of this orchestrator's live runs, then settles the runs of others whose lease
     * ran out. Nothing may escape: it would stop the ticker.
     */
    private void heartbeat() {
        try {
            log.renewLeases(live.keySet(), Instant.now().plus(lease));
        } catch (RuntimeException e) {
            // the catalog is away for now: the next beat tries again (a lease outlives two missed beats)
        }
        try {
            settleExpired();
        } catch (RuntimeException e) {
            // as above
        }
    }

    /** Settles unfinished runs of any server whose lease ran out; returns how many. */
    public int settleExpired() {
        int settled = 0;
        for (RunLog.ExpiredLease expired : log.leasesBefore(Instant.now())) {
            if (live.containsKey(expired.runId())) {
                continue; // ours: the heartbeat was late, not the server gone
            }
            try {
                Run run = get(expired.runId());
                if (!run.terminal() && executor.outlivesServer()) {
                    // its work (a Job) may go on without its server: take it up rather than fail it
                    takeUp(run, expired.owner());
                    continue;
                }
                if (!run.terminal()) {
                    log.appendEvent(new LoggedEvent(run.id(), run.lastSeq() + 1, now(), new RunEvent.Failed(
                            ErrorCode.RUN_FAILED.name(), RunOwner.describe(expired.owner()) + " stopped renewing its lease"
                            + " (it ran out at " + expired.leaseUntil() + ") while the run was " + run.state().id()
                            + whatWasKept(run), "submit it again (e.g. push again): what is stored is not sent again",
                            ErrorCode.RUN_FAILED.exitCode(), null)));
                    settled++;
                }
                log.endLease(run.id());
            } catch (RuntimeException raced) {
                // another server settled it first, or its owner came back and moved on
            }
        }
        return settled;
    }

    /**
     * Last events of runs that the event log could not take when they ended (a full disk): the
     * watchers heard them at once; the log gets them as soon as it can (retried every tick).
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<LoggedEvent> unrecordedEnds =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /**
     * Claims (name, holder) of ended runs that the run log could not give up when they ended (a full
     * disk): given up at the next tick that can, so that the next run on the table waits no longer.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<String[]> unreleasedClaims =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * One tick: progress of every live run, and the ends not recorded yet. Nothing thrown here may
     * escape: it would stop the ticker for good.
     */
    private void tickAll() {
        for (LiveRun run : live.values()) {
            try {
                run.tick();
            } catch (RuntimeException e) {
                // progress is best effort; a failing event log ends the run at its next event
            }
        }
        for (String[] claim = unreleasedClaims.peek(); claim != null; claim = unreleasedClaims.peek()) {
            try {
                log.release(claim[0], claim[1]);
            } catch (RuntimeException stillFailing) {
                break;
            }
            unreleasedClaims.remove(claim);
        }
        for (LoggedEvent end = unrecordedEnds.peek(); end != null; end = unrecordedEnds.peek()) {
            try {
                log.appendEvent(end);
            } catch (RuntimeException stillFailing) {
                return;
            }
            unrecordedEnds.remove(end);
        }
    }

    /** Gives up a claim an ended run of this process still holds; whether it did. */
    private boolean releaseLeftOver(String name, String holder) {
        for (String[] claim : unreleasedClaims) {
            if (claim[0].equals(name) && claim[1].equals(holder)) {
                try {
                    log.release(name, holder);
                } catch (RuntimeException stillFailing) {
                    return false;
                }
                unreleasedClaims.remove(claim);
                return true;
            }
        }
        return false;
    }

    /** The live run {@code id} of this orchestrator, for its worker's reports; empty if it is not running here. */
    public java.util.Optional<RunTask> liveTask(String id) {
        return java.util.Optional.ofNullable(live.get(id));
    }

    /** The output of the run's worker elsewhere (a Job's pod log); NOT_FOUND when it has none. */
    public RunExecutor.WorkerLog workerLog(String id) {
        Run run = get(id);
        return executor.workerLog(id).orElseThrow(() -> FerryException.notFound("run " + id + " has no worker log of its own: "
                + (executor.outlivesServer() ? "its Job is gone (removed an hour after it ended)" : "it ran on the server's threads"),
                "its events are its log: 'ferry runs logs " + id + " --events'" + (run.terminal() ? "" : " --follow")));
    }

    public String executorName() {
        return executor.name();
    }

    /**
     * Settles the runs that nobody runs any more ({@link RunOwner#maySettle}: a previous server of this
     * home, a process of this host that ended, for a server also runs recorded without an owner):
     * each ends {@code failed} with the reason. Their work never committed a bundle it had not
     * finished. Runs of live processes — another CLI, the local server, another machine's server —
     * are left alone. Returns how many were settled.
     */
    public int recover() {
        int settled = 0;
        for (RunLog.UnfinishedRun unfinished : log.unfinishedRuns()) {
            Run run = unfinished.run();
            if (live.containsKey(run.id()) || !owner.maySettle(unfinished.owner())) {
                continue;
            }
            if (executor.outlivesServer() && takeUp(run, unfinished.owner())) {
                continue;
            }
            log.appendEvent(new LoggedEvent(run.id(), run.lastSeq() + 1, now(), new RunEvent.Failed(
                    ErrorCode.RUN_FAILED.name(), RunOwner.describe(unfinished.owner()) + " stopped while the run was "
                    + run.state().id() + whatWasKept(run), "submit it again (e.g. push again): what is stored is not sent again",
                    ErrorCode.RUN_FAILED.exitCode(), null)));
            settled++;
        }
        return settled;
    }

    /**
     * Takes up a run of a server that stopped, whose work may go on elsewhere: becomes its owner (unless
     * another server did first), and asks the executor to watch its work again. A run whose work is gone
     * (no Job) is settled failed here. Returns whether this server took the run.
     */
    private boolean takeUp(Run run, String formerOwner) {
        if (!log.adopt(run.id(), formerOwner, owner.id(), Instant.now().plus(lease))) {
            return false; // another server took it up, or it ended meanwhile
        }
        List<LoggedEvent> logged = new java.util.ArrayList<>();
        for (List<LoggedEvent> page = log.events(run.id(), 0, PAGE); !page.isEmpty();
                page = log.events(run.id(), page.getLast().seq(), PAGE)) {
            logged.addAll(page);
        }
        LiveRun resumed = new LiveRun(run, logged);
        live.put(run.id(), resumed);
        touch();
        resumed.retakeTurn();
        boolean watched;
        try {
            watched = executor.reattach(resumed);
        } catch (RuntimeException e) {
            watched = false;
        }
        if (watched) {
            resumed.log("info", RunOwner.describe(formerOwner) + " that held the run stopped; this server took it up"
                    + " (its work goes on: " + executor.name() + ")");
        } else {
            resumed.end(resumed.failed(ErrorCode.RUN_FAILED, RunOwner.describe(formerOwner) + " stopped while the run was "
                    + run.state().id() + ", and its work elsewhere is gone" + whatWasKept(run),
                    "submit it again (e.g. push again): what is stored is not sent again", null));
        }
        return true;
    }

    /**
     * What a run that stopped in {@code run.state()} left, truthfully: before executing it committed
     * nothing; while executing its one commit (bundle, rows and labels together) may have landed whole.
     */
    private static String whatWasKept(Run run) {
        if (run.state() != RunState.EXECUTING) {
            return "; nothing of it was committed";
        }
        return "; its commit (bundle, rows and labels, one transaction) landed whole or not at all"
                + (run.target() == null ? "" : ": see 'ferry bundle list --repo " + run.target() + "'");
    }

    /** Accepts a run, or returns the run that already holds the idempotency key. */
    public Submission submit(RunSpec spec, String idempotencyKey) {
        if (spec == null) {
            throw FerryException.invalid("a run needs a spec", "send {\"kind\": \"push\" | \"upload\", ...}");
        }
        if (idempotencyKey != null) {
            Names.checkIdempotencyKey(idempotencyKey);
            var existing = log.findRunByKey(idempotencyKey);
            if (existing.isPresent()) {
                return new Submission(existing.get(), false);
            }
        }
        Instant at = now();
        String made = Ids.newId(at);
        String id = lastRunId.updateAndGet(last -> Ids.after(last, made));
        LoggedEvent received = new LoggedEvent(id, 1, at, new RunEvent.Received(spec));
        try {
            log.createRun(id, idempotencyKey, spec, owner.id(), received);
        } catch (FerryException e) {
            if (e.code() == ErrorCode.CONFLICT && idempotencyKey != null) {
                // another submission with the same key won the race: it is the run
                return new Submission(log.findRunByKey(idempotencyKey).orElseThrow(() -> e), false);
            }
            throw e;
        }
        LiveRun run = new LiveRun(id, spec, received);
        live.put(id, run);
        try {
            log.renewLeases(List.of(id), Instant.now().plus(lease));
        } catch (RuntimeException e) {
            // the heartbeat renews it; until then the run has no lease and is settled by owner only
        }
        touch();
        try {
            executor.start(run);
        } catch (RuntimeException e) {
            run.end(new RunEvent.Failed(ErrorCode.INTERNAL.name(), "the executor refused the run: " + e.getMessage(),
                    null, ErrorCode.INTERNAL.exitCode(), null));
            throw e;
        }
        return new Submission(Run.fold(id, idempotencyKey, spec, at, List.of(received)), true);
    }

    public Run get(String id) {
        Names.checkRunId(id);
        Run run = log.findRun(id).orElseThrow(() -> FerryException.notFound("run " + id + " does not exist",
                "see 'ferry runs list'"));
        for (LoggedEvent end : unrecordedEnds) {
            if (end.runId().equals(id) && end.seq() > run.lastSeq()) {
                run = run.with(end); // ended, though the event log could not take it yet
            }
        }
        return run;
    }

    public List<Run> list(int limit) {
        List<Run> runs = log.listRuns(limit);
        if (unrecordedEnds.isEmpty()) {
            return runs;
        }
        return runs.stream().map(r -> {
            Run run = r;
            for (LoggedEvent end : unrecordedEnds) {
                if (end.runId().equals(run.id()) && end.seq() > run.lastSeq()) {
                    run = run.with(end);
                }
            }
            return run;
        }).toList();
    }

    public List<LoggedEvent> events(String id, long after) {
        get(id);
        return recordedOrNot(id, after);
    }

    /** A page of the run's logged events after {@code after}, and its end if the log could not take it yet. */
    private List<LoggedEvent> recordedOrNot(String id, long after) {
        List<LoggedEvent> page = log.events(id, after, PAGE);
        if (page.size() == PAGE) {
            return page;
        }
        List<LoggedEvent> all = new java.util.ArrayList<>(page);
        long last = page.isEmpty() ? after : page.getLast().seq();
        unrecordedEnds.stream().filter(e -> e.runId().equals(id) && e.seq() > last).forEach(all::add);
        return all;
    }

    /** Asks a run to stop at its next safe point; a finished run cannot be cancelled (CONFLICT). */
    public Run cancel(String id) {
        Run run = get(id);
        LiveRun running = live.get(id);
        if (running == null || run.terminal()) {
            throw new FerryException(ErrorCode.CONFLICT, "run " + id + " already ended (" + run.state().id() + ")",
                    "see 'ferry runs show " + id + "'");
        }
        running.cancel();
        return run;
    }

    /** Runs not ended yet; a server never stops for idleness while there are any. */
    public int activeRuns() {
        return live.size();
    }

    /** When a run last started or ended, for idle shutdown. */
    public long lastActivityNanos() {
        return lastActivity.get();
    }

    private void touch() {
        lastActivity.set(System.nanoTime());
    }

    /**
     * Delivers the run's events after {@code after} in order, live as they happen, until the run's last
     * event was delivered or the sink says stop. Returns whether the run ended.
     */
    public boolean watch(String id, long after, EventSink sink) throws InterruptedException {
        get(id);
        long seen = after;
        while (true) {
            LiveRun running = live.get(id);
            List<LoggedEvent> batch = running != null ? running.channel.after(seen, IDLE_MILLIS)
                    : recordedOrNot(id, seen);
            for (LoggedEvent e : batch) {
                if (!sink.accept(e)) {
                    return false;
                }
                seen = e.seq();
                if (e.event().movesTo() != null && e.event().movesTo().terminal()) {
                    return true;
                }
            }
            if (batch.isEmpty()) {
                if (running == null) {
                    if (get(id).terminal()) {
                        return true;
                    }
                    // not ours and not ended (another server runs it): poll
                    Thread.sleep(PROGRESS_MILLIS);
                } else if (!running.channel.closed() && !sink.idle()) {
                    return false;
                }
            }
        }
    }

    /** Waits until the run ends and returns it. */
    public Run await(String id) throws InterruptedException {
        watch(id, 0, e -> true);
        return get(id);
    }

    /** Reports of workers elsewhere are refused from now on (UNREACHABLE: they report to the next server). */
    public void stopServing() {
        closing = true;
    }

    /**
     * Stops: runs on this server's threads are asked to stop; runs whose work goes on elsewhere (Jobs)
     * are left running, with their leases, for the next server to take up.
     */
    @Override
    public void close() {
        closing = true;
        if (!executor.outlivesServer()) {
            live.values().forEach(LiveRun::cancel);
        }
        ticker.shutdownNow();
        executor.close();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A run in this server: its context, its task for the executor, its channel for watchers. */
    private final class LiveRun implements RunContext, RunTask, TransferListener {
        private final String id;
        private final RunSpec spec;
        final RunChannel channel = new RunChannel();
        private long seq;
        private volatile boolean cancelled;
        private volatile RunState phase = RunState.RECEIVED;
        private Semaphore claimed;
        private String claimedTarget;
        /** The run log's claim this run holds on its table, released as it ends. */
        private volatile String claimName;
        private boolean ended;
        private final ProgressCounters counters = new ProgressCounters();
        private RunEvent.Progress lastProgress;

        /** The table named in the log's Planned event: a run taken up again does not announce it twice. */
        private String plannedTarget;

        LiveRun(String id, RunSpec spec, LoggedEvent received) {
            this.id = id;
            this.spec = spec;
            this.seq = received.seq();
            channel.publish(received);
        }

        /** A run taken up from a server that stopped, as its logged events left it. */
        LiveRun(Run run, List<LoggedEvent> logged) {
            this.id = run.id();
            this.spec = run.spec();
            this.seq = run.lastSeq();
            this.phase = run.state();
            this.plannedTarget = run.target();
            logged.forEach(channel::publish); // the channel holds every event from the first
        }

        /**
         * Takes the run's turn on its table again (its claim lapsed with its old server's lease) if it
         * had one and nobody took it meanwhile; otherwise its worker's next claim waits for the turn.
         */
        void retakeTurn() {
            String target = plannedTarget;
            if (target == null) {
                return;
            }
            Semaphore turn = targets.computeIfAbsent(target, t -> new Semaphore(1, true));
            if (!turn.tryAcquire()) {
                log("warn", "a run of this server took the turn on " + target + " while no server held this one");
                return;
            }
            Instant now = Instant.now();
            java.util.Optional<String> holder = log.claim("table:" + target, id, now, now.plus(lease));
            if (holder.isPresent()) {
                turn.release();
                log("warn", "run " + holder.get() + " took the turn on " + target + " while no server held this one");
                return;
            }
            claimed = turn;
            claimedTarget = target;
            claimName = "table:" + target;
        }

        // ---- the task

        @Override
        public String runId() {
            return id;
        }

        @Override
        public RunSpec spec() {
            return spec;
        }

        @Override
        public void runHere() {
            RunEvent last;
            try {
                checkCancelled();
                enter(RunState.PLANNING, null);
                RunOutcome outcome = worker.run(spec, this);
                tick();
                last = outcome.delegatedBecause() == null ? new RunEvent.Completed(outcome.result())
                        : new RunEvent.Delegated(outcome.delegatedBecause(), outcome.result());
            } catch (RunCancelled e) {
                last = new RunEvent.Cancelled("cancelled while " + phase.id() + "; nothing of this run was committed");
            } catch (FerryException e) {
                last = failed(e.code(), e.getMessage(), e.hint(), null);
            } catch (RuntimeException | Error e) {
                last = failed(ErrorCode.INTERNAL, "unexpected failure: " + e, "see the server log and report it", null);
            }
            end(last);
        }

        private RunEvent.Failed failed(ErrorCode code, String message, String hint, JsonNode result) {
            return new RunEvent.Failed(code.name(), message, hint, code.exitCode(), result);
        }

        void end(RunEvent last) {
            LoggedEvent logged;
            synchronized (this) {
                if (ended) return;
                try {
                    logged = store(last);
                } catch (RuntimeException logFull) {
                    // the event log cannot take it now (a full disk, a catalog outage): whoever watches
                    // hears the end anyway, and the log is told when it can take it again
                    logged = new LoggedEvent(id, seq + 1, now(), last);
                    unrecordedEnds.add(logged);
                }
                ended = true;
            }
            if (claimName != null) {
                try {
                    log.release(claimName, id);
                } catch (RuntimeException e) {
                    unreleasedClaims.add(new String[] {claimName, id}); // else it would hold the table a lease long
                }
            }
            if (claimed != null) {
                claimed.release();
            }
            try {
                log.endLease(id);
            } catch (RuntimeException e) {
                // a lease left behind only costs a look at an ended run when it expires
            }
            // no longer live before anyone hears it ended: whoever sees the last event sees it gone
            live.remove(id);
            touch();
            channel.publish(logged);
            channel.close();
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public boolean report(WorkerReport report) {
            checkServing();
            switch (report) {
                case WorkerReport.Enter e -> enter(e.state(), e.message());
                case WorkerReport.Claim c -> claim(c.target(), c.detail());
                case WorkerReport.Progress p -> counters.set(p);
                case WorkerReport.Log l -> log(l.level(), l.message());
                case WorkerReport.Done d -> {
                    tick();
                    end(d.delegatedBecause() == null ? new RunEvent.Completed(d.result())
                            : new RunEvent.Delegated(d.delegatedBecause(), d.result()));
                }
                case WorkerReport.Failed f -> {
                    ErrorCode code;
                    try {
                        code = ErrorCode.valueOf(f.code());
                    } catch (RuntimeException unknown) {
                        code = ErrorCode.RUN_FAILED;
                    }
                    end(code == ErrorCode.INTERRUPTED && cancelled
                            ? new RunEvent.Cancelled("cancelled while " + phase.id() + "; nothing of this run was committed")
                            : failed(code, f.message(), f.hint(), null));
                }
            }
            return cancelled;
        }

        @Override
        public void abandon(String why) {
            if (cancelled) {
                end(new RunEvent.Cancelled("cancelled while " + phase.id() + "; its work elsewhere was stopped ("
                        + why + "); nothing of this run was committed"));
                return;
            }
            end(failed(ErrorCode.RUN_FAILED, why, "see the worker's log ('ferry runs logs " + id + "'), then submit it again", null));
        }

        @Override
        public synchronized boolean ended() {
            return ended;
        }

        @Override
        public boolean cancelRequested() {
            return cancelled;
        }

        private synchronized void append(RunEvent event) {
            if (ended) {
                return;
            }
            channel.publish(store(event));
        }

        /** Writes the next event to the log, as the log will give it back (JSON numbers and all). */
        private synchronized LoggedEvent store(RunEvent event) {
            RunEvent stored = dev.ferry.core.model.Json.read(dev.ferry.core.model.Json.write(event), RunEvent.class);
            LoggedEvent logged = new LoggedEvent(id, seq + 1, now(), stored);
            log.appendEvent(logged);
            seq++;
            return logged;
        }

        // ---- the context

        @Override
        public void enter(RunState state, String message) {
            checkCancelled();
            synchronized (this) {
                if (state == phase) {
                    return; // a push stages, then its upload stages: one phase, one event
                }
                tick();
                counters.reset();
                lastProgress = null;
                phase = state;
                append(new RunEvent.StateChanged(state, message));
            }
        }

        @Override
        public void claim(String target, String detail) {
            if (claimedTarget != null) {
                if (!claimedTarget.equals(target)) {
                    throw new IllegalStateException("run " + id + " claimed " + claimedTarget + " already, not " + target);
                }
                return; // a push claims its table, then its upload claims it again
            }
            if (!target.equals(plannedTarget)) {
                append(new RunEvent.Planned(target, detail));
                plannedTarget = target;
            }
            Semaphore turn = targets.computeIfAbsent(target, t -> new Semaphore(1, true));
            try {
                if (!turn.tryAcquire()) {
                    log("info", "waiting for the run ahead of it on " + target);
                    while (!turn.tryAcquire(PROGRESS_MILLIS, TimeUnit.MILLISECONDS)) {
                        checkCancelled();
                        checkServing();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunCancelled(id);
            }
            claimed = turn;
            claimedTarget = target;
            awaitTurnAcrossServers(target);
        }

        /**
         * The table's claim in the run log, which every server sharing it honours: a run of another
         * server on the same table goes first (its claim lapses with its lease if that server dies).
         */
        private void awaitTurnAcrossServers(String target) {
            String name = "table:" + target;
            boolean told = false;
            while (true) {
                Instant now = Instant.now();
                java.util.Optional<String> holder = log.claim(name, id, now, now.plus(lease));
                if (holder.isEmpty()) {
                    claimName = name;
                    return;
                }
                if (releaseLeftOver(name, holder.get())) {
                    continue; // a run of this process that ended without giving it up (a full disk then)
                }
                if (!told) {
                    log("info", "waiting for run " + holder.get() + " (another server) on " + target);
                    told = true;
                }
                try {
                    Thread.sleep(CLAIM_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RunCancelled(id);
                }
                checkCancelled();
                checkServing();
            }
        }

        /**
         * A worker elsewhere waiting on this server (for its turn) is let go as the server stops: told to
         * come back, its run is taken up by the next server.
         */
        private void checkServing() {
            if (closing && executor.outlivesServer()) { // runs on this server's threads are cancelled instead
                throw new FerryException(ErrorCode.UNREACHABLE, "the server is stopping; run " + id + " goes on",
                        "a worker reports again once the next server took the run up");
            }
        }

        @Override
        public TransferListener transfers() {
            return this;
        }

        @Override
        public void found(long bytes) {
            counters.found(bytes);
        }

        @Override
        public void foundAll(long files, long bytes) {
            counters.foundAll(files, bytes);
        }

        @Override
        public void progressed(long bytes) {
            counters.progressed(bytes);
            if (cancelled) {
                throw new RunCancelled(id);
            }
        }

        @Override
        public void fileDone() {
            counters.fileDone();
        }

        @Override
        public void skipped(String path, String reason) {
            log("warn", "skipped " + path + ": " + reason);
        }

        @Override
        public void records(long done, long total) {
            counters.records(done, total);
        }

        @Override
        public void log(String level, String message) {
            append(new RunEvent.Log(level, message));
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        /** Emits the counters as a progress event if they moved since the last one. */
        synchronized void tick() {
            WorkerReport.Progress c = counters.snapshot();
            RunEvent.Progress now = new RunEvent.Progress(phase, c.filesDone(), c.filesTotal(), c.bytesDone(),
                    c.bytesTotal(), c.recordsDone(), c.recordsTotal());
            boolean moved = now.filesDone() + now.filesTotal() + now.bytesDone() + now.bytesTotal()
                    + now.recordsDone() + now.recordsTotal() > 0;
            if (moved && !now.equals(lastProgress) && phase != RunState.RECEIVED) {
                lastProgress = now;
                append(now);
            }
        }
    }
}
