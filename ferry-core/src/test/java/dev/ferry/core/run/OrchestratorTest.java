package dev.ferry.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator over a real SQLite catalog, with a worker whose pace the test controls (the work
 * itself, uploads and ingestions, is covered by the API tests; here it is the lifecycle).
 */
class OrchestratorTest {
    @TempDir
    Path dir;
    RunLog runs;
    JdbcDatabase db;
    Orchestrator orchestrator;
    /** Per target: how many runs are inside the work at once, and the most there ever were. */
    final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> mostInside = new ConcurrentHashMap<>();
    final AtomicInteger totalInside = new AtomicInteger();
    final AtomicInteger mostTotal = new AtomicInteger();
    volatile CountDownLatch release = new CountDownLatch(0);

    /** Target = the upload's repo; "fail" fails, "spin" loops until cancelled, "same" ends delegated. */
    final RunWorker worker = (spec, ctx) -> {
        RunSpec.Upload u = (RunSpec.Upload) spec;
        ctx.claim(u.repo(), u.path());
        ctx.enter(RunState.STAGING, null);
        int now = inside.computeIfAbsent(u.repo(), k -> new AtomicInteger()).incrementAndGet();
        mostInside.computeIfAbsent(u.repo(), k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        mostTotal.accumulateAndGet(totalInside.incrementAndGet(), Math::max);
        try {
            ctx.transfers().found(100);
            ctx.transfers().progressed(100);
            ctx.transfers().fileDone();
            switch (u.message()) {
                case "fail" -> throw new FerryException(ErrorCode.SOURCE_CHANGED, "it changed", "push again");
                case "spin" -> {
                    while (true) {
                        ctx.checkCancelled();
                        Thread.sleep(5);
                    }
                }
                default -> release.await(20, TimeUnit.SECONDS);
            }
            ctx.enter(RunState.EXECUTING, null);
            var result = JsonNodeFactory.instance.objectNode().put("repo", u.repo());
            return u.message().equals("same") ? RunOutcome.delegated(result, "identical") : RunOutcome.completed(result);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            inside.get(u.repo()).decrementAndGet();
            totalInside.decrementAndGet();
        }
    };

    @BeforeEach
    void open() {
        db = JdbcDatabase.sqlite(dir.resolve("catalog.db"));
        runs = db.runLog();
        orchestrator = new Orchestrator(runs, worker, new ThreadPoolRunExecutor(8), server());
    }

    @AfterEach
    void close() {
        orchestrator.close();
        db.close();
    }

    private static RunSpec upload(String repo, String message) {
        return new RunSpec.Upload("/data/" + repo, repo, message, null);
    }

    private List<String> types(String runId) {
        return runs.events(runId, 0, 1000).stream().map(e -> e.event().type()).toList();
    }

    @Test
    void aRunMovesThroughEveryStateAndItsEventsAreNumberedWithoutGaps() throws Exception {
        Submission s = orchestrator.submit(upload("cats", "ok"), null);
        assertThat(s.created()).isTrue();
        assertThat(s.run().state()).isEqualTo(RunState.RECEIVED);
        Run done = orchestrator.await(s.run().id());
        assertThat(done.state()).isEqualTo(RunState.COMPLETED);
        assertThat(done.target()).isEqualTo("cats");
        assertThat(done.result().get("repo").asText()).isEqualTo("cats");
        List<LoggedEvent> events = runs.events(s.run().id(), 0, 1000);
        assertThat(events).extracting(LoggedEvent::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(types(s.run().id())).containsSubsequence("received", "state", "planned", "state", "progress",
                "state", "completed");
        assertThat(events.stream().map(LoggedEvent::event).filter(e -> e instanceof RunEvent.StateChanged)
                .map(e -> ((RunEvent.StateChanged) e).state()))
                .containsExactly(RunState.PLANNING, RunState.STAGING, RunState.EXECUTING);
        RunEvent.Progress staged = events.stream().map(LoggedEvent::event).filter(e -> e instanceof RunEvent.Progress)
                .map(e -> (RunEvent.Progress) e).reduce((a, b) -> b).orElseThrow();
        assertThat(staged).isEqualTo(new RunEvent.Progress(RunState.STAGING, 1, 1, 100, 100, 0, 0));
        assertThat(orchestrator.activeRuns()).isZero();
    }

    @Test
    void failuresAndDelegationsAreTerminalStatesWithTheirReasons() throws Exception {
        Run failed = orchestrator.await(orchestrator.submit(upload("a", "fail"), null).run().id());
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.failure().code()).isEqualTo("SOURCE_CHANGED");
        assertThat(failed.failure().exitCode()).isEqualTo(7);
        assertThat(failed.failure().hint()).isEqualTo("push again");
        Run same = orchestrator.await(orchestrator.submit(upload("b", "same"), null).run().id());
        assertThat(same.state()).isEqualTo(RunState.DELEGATED);
        assertThat(same.result().get("repo").asText()).isEqualTo("b");
    }

    @Test
    void runsSubmittedInOneMillisecondListInSubmissionOrder() throws Exception {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            submitted.add(orchestrator.submit(upload("r" + i, "same"), null).run().id());
        }
        for (String id : submitted) {
            orchestrator.await(id);
        }
        assertThat(runs.listRuns(40)).extracting(Run::id).containsExactlyElementsOf(submitted);
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheSameRun() throws Exception {
        Submission first = orchestrator.submit(upload("cats", "ok"), "push-42");
        Submission again = orchestrator.submit(upload("cats", "ok"), "push-42");
        assertThat(again.created()).isFalse();
        assertThat(again.run().id()).isEqualTo(first.run().id());
        orchestrator.await(first.run().id());
        assertThat(orchestrator.submit(upload("dogs", "other"), "push-42").run().id()).isEqualTo(first.run().id());
        assertThat(orchestrator.list(10)).hasSize(1);
        assertThatThrownBy(() -> orchestrator.submit(upload("cats", "ok"), "has space"))
                .isInstanceOf(FerryException.class).hasMessageContaining("idempotency key");
    }

    @Test
    void runsOnOneTargetTakeTurnsAndRunsOnOthersGoInParallel() throws Exception {
        release = new CountDownLatch(1);
        List<String> ids = new ArrayList<>();
        for (String repo : List.of("t1", "t1", "t2", "t2", "t3", "t3", "t4", "t4")) {
            ids.add(orchestrator.submit(upload(repo, "ok"), null).run().id());
        }
        // four runs, one per table, get inside; their twins wait
        long deadline = System.currentTimeMillis() + 10_000;
        while (totalInside.get() < 4 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertThat(totalInside.get()).isEqualTo(4);
        assertThat(orchestrator.activeRuns()).isEqualTo(8);
        release.countDown();
        for (String id : ids) {
            assertThat(orchestrator.await(id).state()).isEqualTo(RunState.COMPLETED);
        }
        assertThat(mostInside.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(mostTotal.get()).isEqualTo(4);
        // the twin that waited said so in its log
        assertThat(ids.stream().flatMap(id -> runs.events(id, 0, 1000).stream())
                .filter(e -> e.event() instanceof RunEvent.Log l && l.message().startsWith("waiting"))).hasSize(4);
    }

    @Test
    void cancelStopsARunAtItsNextSafePointAndAFinishedRunCannotBeCancelled() throws Exception {
        String id = orchestrator.submit(upload("cats", "spin"), null).run().id();
        while (orchestrator.get(id).state() != RunState.STAGING) {
            Thread.sleep(5);
        }
        orchestrator.cancel(id);
        Run cancelled = orchestrator.await(id);
        assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
        assertThatThrownBy(() -> orchestrator.cancel(id)).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.CONFLICT));
        // the table is free again
        assertThat(orchestrator.await(orchestrator.submit(upload("cats", "ok"), null).run().id()).state())
                .isEqualTo(RunState.COMPLETED);
    }

    @Test
    void aRestartedServerFailsTheRunsTheDeadOneLeftWithTheReason() throws Exception {
        release = new CountDownLatch(1);
        String id = orchestrator.submit(upload("cats", "ok"), null).run().id();
        while (orchestrator.get(id).state() != RunState.STAGING) {
            Thread.sleep(5);
        }
        // a second server over the same catalog, as after kill -9 of the first
        try (Orchestrator restarted = new Orchestrator(runs, worker, new ThreadPoolRunExecutor(1), server())) {
            assertThat(restarted.recover()).isEqualTo(1);
            Run failed = restarted.get(id);
            assertThat(failed.state()).isEqualTo(RunState.FAILED);
            assertThat(failed.failure().message()).contains("server stopped while the run was staging");
            assertThat(restarted.recover()).isZero();
        }
        release.countDown();
    }

    /**
     * Servers sharing one catalog take turns on a table too: the run log's claim, not only this
     * process's semaphore, keeps a second server's run on the same table waiting until the first ends.
     */
    @Test
    void runsOnOneTableTakeTurnsAcrossServers() throws Exception {
        release = new CountDownLatch(1);
        String first = orchestrator.submit(upload("cats", "ok"), null).run().id();
        while (orchestrator.get(first).state() != RunState.STAGING) {
            Thread.sleep(5);
        }
        try (Orchestrator other = new Orchestrator(runs, worker, new ThreadPoolRunExecutor(2),
                RunOwner.server(dir.resolve("other-home")))) {
            String second = other.submit(upload("cats", "ok"), null).run().id();
            String elsewhere = other.submit(upload("dogs", "ok"), null).run().id();
            while (other.get(elsewhere).state() != RunState.STAGING) {
                Thread.sleep(5);
            }
            Thread.sleep(300);
            assertThat(other.get(second).state()).as("waits for the first server's run on cats").isEqualTo(RunState.PLANNING);
            assertThat(mostInside.get("cats").get()).isEqualTo(1);
            assertThat(runs.events(second, 0, 100)).extracting(e -> e.event() instanceof RunEvent.Log l ? l.message() : "")
                    .anyMatch(m -> m.contains("waiting for run " + first + " (another server) on cats"));
            release.countDown();
            for (String id : List.of(first, second, elsewhere)) {
                Orchestrator o = id.equals(first) ? orchestrator : other;
                while (!o.get(id).terminal()) {
                    Thread.sleep(5);
                }
                assertThat(o.get(id).state()).isEqualTo(RunState.COMPLETED);
            }
            assertThat(mostInside.get("cats").get()).as("never two runs on cats at once").isEqualTo(1);
        }
    }

    private RunOwner server() {
        return RunOwner.server(dir.resolve("home"));
    }

    /** A run recorded as {@code owner}'s and left in staging, as that owner's process would leave it. */
    private String leftBy(String owner) {
        RunSpec spec = upload("dogs", "ok");
        String id = dev.ferry.core.model.Ids.newId();
        runs.createRun(id, null, spec, owner, new LoggedEvent(id, 1, java.time.Instant.now(), new RunEvent.Received(spec)));
        runs.appendEvent(new LoggedEvent(id, 2, java.time.Instant.now(), new RunEvent.StateChanged(RunState.STAGING, null)));
        return id;
    }

    /**
     * Servers of several machines on one catalog: a run holds a lease its server renews; when the
     * server dies the lease runs out and another server settles the run within about the lease time,
     * saying what happened; a run whose server is alive is never settled.
     */
    @Test
    void aRunWhoseServerStoppedRenewingItsLeaseIsSettledByAnotherServer() throws Exception {
        release = new CountDownLatch(1);
        java.time.Duration lease = java.time.Duration.ofMillis(600);
        try (Orchestrator alive = new Orchestrator(runs, worker, new ThreadPoolRunExecutor(2),
                RunOwner.server(dir.resolve("a")), lease);
                Orchestrator other = new Orchestrator(runs, worker, new ThreadPoolRunExecutor(2),
                        RunOwner.server(dir.resolve("b")), lease)) {
            String running = alive.submit(upload("cats", "ok"), null).run().id();
            // a run of a server of another machine that died: its last heartbeat, then nothing
            String orphan = leftBy("server@another-host:/home/ferry");
            runs.renewLeases(List.of(orphan), java.time.Instant.now().plus(lease));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (other.get(orphan).state() != RunState.FAILED && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Run settled = other.get(orphan);
            assertThat(settled.state()).isEqualTo(RunState.FAILED);
            assertThat(settled.failure().message()).contains("stopped renewing its lease", "while the run was staging",
                    "nothing of it was committed");
            // well past several leases: the live server's run is still its own
            Thread.sleep(3 * lease.toMillis());
            assertThat(other.get(running).state()).isNotIn(RunState.FAILED, RunState.CANCELLED);
            release.countDown();
            assertThat(alive.await(running).state()).isEqualTo(RunState.COMPLETED);
        }
    }

    /**
     * Several processes share one catalog (the local server, a CLI with FERRY_IN_PROCESS=1, servers
     * of other machines on PostgreSQL): a process that starts settles only runs nobody runs any more.
     */
    @Test
    void aStartingProcessSettlesOnlyTheRunsNobodyRunsAnyMore() throws Exception {
        release = new CountDownLatch(1);
        String live = orchestrator.submit(upload("cats", "ok"), null).run().id(); // the server's, running
        while (orchestrator.get(live).state() != RunState.STAGING) {
            Thread.sleep(5);
        }
        String host = RunOwner.thisProcess().id().split(":")[0]; // process@HOST
        String deadProcess = leftBy(host + ":2147483647:1"); // no such pid on this host
        String liveProcess = leftBy(RunOwner.thisProcess().id());
        String otherHostServer = leftBy("server@another-host:/home/ferry");
        String otherHostProcess = leftBy("process@another-host:12:34");
        String legacy = leftBy(null);
        // a CLI running the store in its own process: only the dead process's run is certainly over
        try (Orchestrator cli = new Orchestrator(runs, worker, new ThreadPoolRunExecutor(1), RunOwner.thisProcess())) {
            assertThat(cli.recover()).isEqualTo(1);
        }
        assertThat(orchestrator.get(deadProcess).state()).isEqualTo(RunState.FAILED);
        assertThat(orchestrator.get(deadProcess).failure().message())
                .contains("the process that ran it (pid 2147483647) stopped while the run was staging");
        for (String untouched : List.of(live, liveProcess, otherHostServer, otherHostProcess, legacy)) {
            assertThat(orchestrator.get(untouched).state()).as(untouched).isEqualTo(RunState.STAGING);
        }
        // the home's next server: its predecessor's live-looking run and the ownerless one are over
        try (Orchestrator restarted = new Orchestrator(runs, worker, new ThreadPoolRunExecutor(1), server())) {
            assertThat(restarted.recover()).isEqualTo(2);
        }
        assertThat(orchestrator.get(live).state()).isEqualTo(RunState.FAILED);
        assertThat(orchestrator.get(legacy).state()).isEqualTo(RunState.FAILED);
        for (String untouched : List.of(liveProcess, otherHostServer, otherHostProcess)) {
            assertThat(orchestrator.get(untouched).state()).as(untouched).isEqualTo(RunState.STAGING);
        }
        // another home's server on this host does not settle this home's server's runs
        assertThat(RunOwner.server(dir.resolve("other-home")).maySettle(server().id())).isFalse();
        release.countDown();
    }

    @Test
    void watchersSeeEveryEventInOrderLiveOrLateAndResumeAfterASequenceNumber() throws Exception {
        release = new CountDownLatch(1);
        String id = orchestrator.submit(upload("cats", "ok"), null).run().id();
        int watchers = 100;
        List<List<Long>> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(watchers);
        for (int i = 0; i < watchers; i++) {
            Thread.ofVirtual().start(() -> {
                List<Long> mine = new ArrayList<>();
                try {
                    orchestrator.watch(id, 0, e -> mine.add(e.seq()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(mine);
                done.countDown();
            });
        }
        Thread.sleep(300);
        release.countDown();
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        List<Long> all = runs.events(id, 0, 1000).stream().map(LoggedEvent::seq).toList();
        assertThat(seen).hasSize(watchers).allSatisfy(s -> assertThat(s).isEqualTo(all));
        List<Long> resumed = new ArrayList<>();
        orchestrator.watch(id, 3, e -> resumed.add(e.seq()));
        assertThat(resumed).isEqualTo(all.subList(3, all.size()));
    }
}
