package dev.ferry.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Ids;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RunLog} must do, run against SQLite and PostgreSQL alike. */
public abstract class RunLogContract {
    protected RunLog runs;

    /** A fresh, empty run log. */
    protected abstract RunLog newRunLog() throws Exception;

    /** Releases what {@link #newRunLog} opened. */
    protected abstract void closeRunLog() throws Exception;

    @BeforeEach
    void open() throws Exception {
        runs = newRunLog();
    }

    @AfterEach
    void close() throws Exception {
        closeRunLog();
    }

    private static void assertCode(ErrorCode code, ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(code));
    }

    @Test
    void runLeasesAreRenewedFoundWhenTheyRunOutAndDropped() {
        RunSpec spec = new RunSpec.Upload("/d", "r", "m", null);
        String a = Ids.newId();
        String b = Ids.after(a, Ids.newId());
        for (String id : List.of(a, b)) {
            runs.createRun(id, null, spec, "server@h:/x", new LoggedEvent(id, 1, Instant.now(),
                    new RunEvent.Received(spec)));
        }
        Instant t = Instant.parse("2026-12-07T12:00:00Z");
        runs.renewLeases(List.of(a, b), t);
        assertThat(runs.leasesBefore(t)).isEmpty();
        runs.renewLeases(List.of(b), t.plusSeconds(30));
        assertThat(runs.leasesBefore(t.plusSeconds(1))).containsExactly(new RunLog.ExpiredLease(a, "server@h:/x", t));
        runs.endLease(a);
        assertThat(runs.leasesBefore(t.plusSeconds(60))).extracting(RunLog.ExpiredLease::runId).containsExactly(b);
    }

    @Test
    void aRunIsAdoptedOnlyFromTheOwnerItStillHas() {
        RunSpec spec = new RunSpec.Upload("/d", "r", "m", null);
        String a = Ids.newId();
        runs.createRun(a, null, spec, "server@old:/x", new LoggedEvent(a, 1, Instant.now(), new RunEvent.Received(spec)));
        Instant t = Instant.parse("2026-12-07T12:00:00Z");
        runs.renewLeases(List.of(a), t);

        assertThat(runs.adopt(a, "server@other:/x", "server@new:/x", t.plusSeconds(30))).as("not its owner").isFalse();
        assertThat(runs.adopt(a, "server@old:/x", "server@new:/x", t.plusSeconds(30))).isTrue();
        // a second server that saw the same expired lease comes too late
        assertThat(runs.adopt(a, "server@old:/x", "server@third:/x", t.plusSeconds(60))).isFalse();
        assertThat(runs.unfinishedRuns()).extracting(RunLog.UnfinishedRun::owner).containsExactly("server@new:/x");
        assertThat(runs.leasesBefore(t.plusSeconds(29))).isEmpty();
        assertThat(runs.leasesBefore(t.plusSeconds(31))).extracting(RunLog.ExpiredLease::owner).containsExactly("server@new:/x");
        assertThat(runs.adopt(Ids.after(a, Ids.newId()), null, "server@new:/x", t)).as("no such run").isFalse();
    }

    private static LoggedEvent event(String run, long seq, RunEvent e) {
        return new LoggedEvent(run, seq, Instant.ofEpochMilli(1_700_000_000_000L + seq), e);
    }

    @Test
    void runsFoldTheirStateFromTheirEventsAndKeysAreUnique() {
        var spec = new RunSpec.Upload("/data", "demo", "m", null);
        String id = Ids.newId(Instant.now().minusSeconds(5));
        runs.createRun(id, "key-1", spec, "process@host:1:2", event(id, 1, new RunEvent.Received(spec)));
        runs.appendEvent(event(id, 2, new RunEvent.StateChanged(RunState.PLANNING, null)));
        runs.appendEvent(event(id, 3, new RunEvent.Planned("demo", "/data")));
        runs.appendEvent(event(id, 4, new RunEvent.Progress(RunState.STAGING,
                1, 2, 10, 20, 0, 0)));
        var run = runs.findRun(id).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.PLANNING);
        assertThat(run.target()).isEqualTo("demo");
        assertThat(run.lastSeq()).isEqualTo(4);
        assertThat(run.spec()).isEqualTo(spec);
        assertThat(runs.unfinishedRuns()).containsExactly(new RunLog.UnfinishedRun(run, "process@host:1:2"));

        var result = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("bundle", "b");
        runs.appendEvent(event(id, 5, new RunEvent.Completed(result)));
        run = runs.findRunByKey("key-1").orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.COMPLETED);
        assertThat(run.result()).isEqualTo(result);
        assertThat(runs.unfinishedRuns()).isEmpty();
        assertThat(runs.events(id, 2, 100)).extracting(LoggedEvent::seq).containsExactly(3L, 4L, 5L);
        assertThat(runs.events(id, 0, 100).get(3).event()).isInstanceOf(RunEvent.Progress.class);

        String other = Ids.newId();
        assertCode(ErrorCode.CONFLICT, () -> runs.createRun(other, "key-1", spec, null,
                event(other, 1, new RunEvent.Received(spec))));
        assertThat(runs.findRun(other)).isEmpty();
        // a sequence number is used once
        assertThatThrownBy(() -> runs.appendEvent(event(id, 5, new RunEvent.Log("info", "x"))))
                .isInstanceOf(FerryException.class);
        runs.createRun(other, null, spec, null, event(other, 1, new RunEvent.Received(spec)));
        assertThat(runs.listRuns(10)).extracting(Run::id).containsExactly(id, other);
        // a run recorded without an owner (as before owners were recorded) is unfinished with none
        assertThat(runs.unfinishedRuns()).extracting(u -> u.run().id(), RunLog.UnfinishedRun::owner)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(other, null));
        assertThat(runs.listRuns(1)).extracting(Run::id).containsExactly(other);
    }

    @Test
    void aClaimHasOneHolderUntilItIsReleasedOrItsLeaseRunsOut() {
        Instant t = Instant.parse("2026-12-07T12:00:00Z");
        assertThat(runs.claim("table:cats", "run-a", t, t.plusSeconds(30))).isEmpty();
        assertThat(runs.claim("table:cats", "run-b", t.plusSeconds(1), t.plusSeconds(31))).contains("run-a");
        assertThat(runs.claim("table:dogs", "run-b", t, t.plusSeconds(30))).as("another name").isEmpty();
        // the holder renews its own claim
        assertThat(runs.claim("table:cats", "run-a", t.plusSeconds(20), t.plusSeconds(60))).isEmpty();
        assertThat(runs.claim("table:cats", "run-b", t.plusSeconds(40), t.plusSeconds(70))).contains("run-a");
        // a lapsed claim is taken over
        assertThat(runs.claim("table:cats", "run-b", t.plusSeconds(61), t.plusSeconds(90))).isEmpty();
        runs.release("table:cats", "run-a"); // not its holder any more: nothing happens
        assertThat(runs.claim("table:cats", "run-c", t.plusSeconds(62), t.plusSeconds(90))).contains("run-b");
        runs.release("table:cats", "run-b");
        assertThat(runs.claim("table:cats", "run-c", t.plusSeconds(63), t.plusSeconds(90))).isEmpty();
    }

    @Test
    void renewingARunsLeaseRenewsItsClaims() {
        RunSpec spec = new RunSpec.Upload("/d", "r", "m", null);
        String id = Ids.newId();
        runs.createRun(id, null, spec, "server@h:/x", new LoggedEvent(id, 1, Instant.now(), new RunEvent.Received(spec)));
        Instant t = Instant.parse("2026-12-07T12:00:00Z");
        assertThat(runs.claim("table:r", id, t, t.plusSeconds(30))).isEmpty();
        runs.renewLeases(List.of(id), t.plusSeconds(300));
        assertThat(runs.claim("table:r", "other", t.plusSeconds(200), t.plusSeconds(230))).contains(id);
    }
}
