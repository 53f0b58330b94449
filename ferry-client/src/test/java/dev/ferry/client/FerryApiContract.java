package dev.ferry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.api.DownloadRequest;
import dev.ferry.core.api.FerryApi;
import dev.ferry.core.api.PushRequest;
import dev.ferry.core.api.PushResult;
import dev.ferry.core.api.UploadRequest;
import dev.ferry.core.api.UploadResult;
import dev.ferry.core.catalog.LabelCondition;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.DiffEntry;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunEvent;
import dev.ferry.core.run.RunSpec;
import dev.ferry.core.run.RunState;
import dev.ferry.core.run.Submission;
import dev.ferry.core.testing.TestFiles;
import dev.ferry.core.transfer.TransferListener;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link FerryApi} implementation must do, run in-process ({@code LocalFerry}) and over HTTP
 * ({@code HttpFerry} against a real server): the same calls give the same results, the same errors
 * with the same codes, and runs with the same event sequences.
 */
abstract class FerryApiContract {
    static final ConfigFlags CATS = new ConfigFlags("cats", "image_classification", "train", "label", null, null, null,
            null, null, null, null, null, null);

    @TempDir
    Path tmp;
    FerryApi api;

    protected abstract FerryApi open(Path home) throws Exception;

    protected void shut() throws Exception {}

    @BeforeEach
    void setUp() throws Exception {
        api = open(tmp.resolve("home"));
    }

    @AfterEach
    void tearDown() throws Exception {
        api.close();
        shut();
    }

    static void assertCode(ErrorCode code, ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(code));
    }

    /** The event types of a run without progress and log lines, whose number depends on timing. */
    static List<String> milestones(FerryApi api, String runId) {
        List<String> out = new ArrayList<>();
        for (LoggedEvent e : api.runEvents(runId, 0)) {
            RunEvent event = e.event();
            if (!(event instanceof RunEvent.Progress) && !(event instanceof RunEvent.Log)) {
                out.add(event instanceof RunEvent.StateChanged s ? "state:" + s.state().id() : event.type());
            }
        }
        return out;
    }

    /** A push's spec as a client submits it: after its data was made reachable by the server. */
    RunSpec staged(PushRequest request) {
        return api.stage(PushRequest.spec(request), TransferListener.NONE);
    }

    @Test
    void reposBundlesLabelsAndFilesRoundTrip() throws Exception {
        Path src = TestFiles.tree(tmp.resolve("src"), 20, 1);
        api.createRepo("demo", "first");
        assertThat(api.getRepo("demo").description()).isEqualTo("first");
        UploadResult first = api.upload(new UploadRequest(src, "demo", "one", "init"), TransferListener.NONE);
        assertThat(first.created()).isTrue();
        assertThat(first.bundle().fileCount()).isEqualTo(20);
        UploadResult same = api.upload(new UploadRequest(src, "demo", "again", null), TransferListener.NONE);
        assertThat(same.created()).isFalse();
        assertThat(same.bundle().id()).isEqualTo(first.bundle().id());

        Files.writeString(src.resolve("changed.txt"), "new");
        UploadResult second = api.upload(new UploadRequest(src, "demo", "two", null), TransferListener.NONE);
        assertThat(api.listBundles("demo")).extracting(b -> b.id()).containsExactly(first.bundle().id(),
                second.bundle().id());
        List<DiffEntry> diff = new ArrayList<>();
        api.diff("demo", BundleRef.label("init"), BundleRef.label("latest"), diff::add);
        assertThat(diff).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo("A");
            assertThat(d.path()).isEqualTo("changed.txt");
        });
        List<FileEntry> files = new ArrayList<>();
        api.listFiles("demo", BundleRef.id(second.bundle().id()), files::add);
        assertThat(files).hasSize(21);

        Path out = tmp.resolve("out");
        assertThat(api.download(new DownloadRequest("demo", BundleRef.label("latest"), out, null, false),
                TransferListener.NONE).files()).isEqualTo(21);
        TestFiles.assertSameTree(src, out);
        assertCode(ErrorCode.DESTINATION_NOT_EMPTY, () -> api.download(new DownloadRequest("demo",
                BundleRef.label("latest"), out, null, false), TransferListener.NONE));

        assertThat(api.setLabel("demo", "prod", first.bundle().id(), LabelCondition.ABSENT).toBundle())
                .isEqualTo(first.bundle().id());
        assertCode(ErrorCode.CONFLICT, () -> api.setLabel("demo", "prod", second.bundle().id(), LabelCondition.ABSENT));
        api.setLabel("demo", "prod", second.bundle().id(), LabelCondition.pointsTo(first.bundle().id()));
        assertThat(api.labelHistory("demo", "prod")).hasSize(2);
        assertThat(api.labelHistory("demo", null)).hasSizeGreaterThanOrEqualTo(2); // every label, over HTTP too
        assertThat(api.listLabels("demo")).extracting(l -> l.name()).containsExactly("init", "latest", "prod");
        assertThat(api.fsck(true, s -> {}).clean()).isTrue();
    }

    @Test
    void theStoreAnswersAndSaysWhereItIs() {
        var store = api.checkStore();
        assertThat(store.catalog()).isNotBlank();
        assertThat(store.packs()).isNotBlank();
    }

    @Test
    void aLoginTicketIsFreshAndNeverTheSameTwice() {
        var first = api.loginTicket();
        var second = api.loginTicket();
        assertThat(first.ticket()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(second.ticket());
        assertThat(first.expiresAt()).isBetween(java.time.Instant.now().plusSeconds(60),
                java.time.Instant.now().plus(dev.ferry.core.auth.LoginTickets.LIFETIME).plusSeconds(5));
    }

    @Test
    void errorsCarryTheSameCodes() {
        assertCode(ErrorCode.NOT_FOUND, () -> api.getRepo("nope"));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> api.getRepo("../etc"));
        api.createRepo("demo", "");
        assertCode(ErrorCode.CONFLICT, () -> api.createRepo("demo", ""));
        assertCode(ErrorCode.NOT_FOUND, () -> api.getLabel("demo", "missing"));
        assertCode(ErrorCode.NOT_FOUND, () -> api.getRun("0000000000000000000000000000".substring(1)));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> api.getRun("not-a-run"));
        assertCode(ErrorCode.LOCAL_PATH, () -> api.upload(new UploadRequest(tmp.resolve("missing"), "demo", "m", null),
                TransferListener.NONE));
    }

    @Test
    void aPushIsARunWithTheSameEventsEverywhereAndAnIdenticalPushIsDelegated() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("ds")).csv("filename,label", "a0.jpg,cat", "a1.jpg,cat",
                "a2.jpg,dog").images("a", 3, 32, 32);
        PushResult first = api.push(new PushRequest(d.dir(), null, CATS, "first", null), TransferListener.NONE);
        assertThat(first.newVersion()).isTrue();
        assertThat(first.summary().inserted()).isEqualTo(3);
        Run run = api.listRuns(10).get(0);
        assertThat(run.state()).isEqualTo(RunState.COMPLETED);
        assertThat(run.target()).isEqualTo("cats");
        assertThat(milestones(api, run.id())).containsExactly("received", "state:planning", "planned", "state:staging",
                "state:executing", "completed");
        // counters add up, whether the server read the folder or checked a client's upload of it
        assertThat(api.runEvents(run.id(), 0)).extracting(LoggedEvent::event).filteredOn(RunEvent.Progress.class::isInstance)
                .isNotEmpty().allSatisfy(e -> {
                    RunEvent.Progress p = (RunEvent.Progress) e;
                    assertThat(p.filesDone()).as(p.toString()).isLessThanOrEqualTo(p.filesTotal());
                    assertThat(p.bytesDone()).as(p.toString()).isLessThanOrEqualTo(p.bytesTotal());
                });

        Submission again = api.submit(staged(new PushRequest(d.dir(), null, CATS, null, null)), "key-1");
        assertThat(again.created()).isTrue();
        List<LoggedEvent> seen = new ArrayList<>();
        assertThat(api.watchRun(again.run().id(), 0, seen::add)).isTrue();
        assertThat(seen.get(seen.size() - 1).event()).isInstanceOf(RunEvent.Delegated.class);
        assertThat(api.getRun(again.run().id()).state()).isEqualTo(RunState.DELEGATED);
        assertThat(api.getRun(again.run().id()).result().get("bundle").get("id").asText())
                .isEqualTo(first.bundle().id());
        Submission repeated = api.submit(staged(new PushRequest(d.dir(), null, CATS, null, null)), "key-1");
        assertThat(repeated.created()).isFalse();
        assertThat(repeated.run().id()).isEqualTo(again.run().id());
        // resuming after an event gives exactly the rest
        List<LoggedEvent> rest = new ArrayList<>();
        api.watchRun(again.run().id(), 2, rest::add);
        assertThat(rest).isEqualTo(seen.subList(2, seen.size()));

        assertThat(api.listDatasets()).singleElement().satisfies(ds -> {
            assertThat(ds.table()).isEqualTo("cats");
            assertThat(ds.rows()).isEqualTo(3);
            assertThat(ds.versions()).isEqualTo(1);
        });
        try (InputStream rows = api.openRows(api.getIngestion("cats", null))) {
            assertThat(new String(rows.readAllBytes(), StandardCharsets.UTF_8).lines()).hasSize(3);
        }
        var stats = api.datasetStats("cats", null);
        assertThat(stats.rows()).isEqualTo(3);
        assertThat(stats.version()).isEqualTo(first.bundle().id());
        assertThat(stats.labels()).containsExactly(new dev.ferry.core.model.DatasetStats.LabelCount("cat", 2),
                new dev.ferry.core.model.DatasetStats.LabelCount("dog", 1));
        assertThat(stats.columns()).extracting(dev.ferry.core.model.DatasetStats.Column::name)
                .startsWith("data_id", "filename", "extension", "label", "data_intent");
        assertThat(stats.columns()).filteredOn(c -> c.name().equals("data_id")).singleElement()
                .satisfies(c -> assertThat(c.distinct()).isEqualTo(3))
                .satisfies(c -> assertThat(c.nulls()).isZero());
        assertCode(ErrorCode.NOT_FOUND, () -> api.datasetStats("no_such_table", null));

        // pages: some columns, from an offset, with the total; nothing a client sends becomes SQL
        var all = api.rowsPage("cats", null, new dev.ferry.core.model.RowsPage.Query(List.of(), 0, 100));
        assertThat(all.total()).isEqualTo(3);
        assertThat(all.columns()).startsWith("data_id", "filename", "extension", "label", "data_intent");
        assertThat(all.rows()).hasSize(3).extracting(r -> r.get(3)).containsExactly("cat", "cat", "dog");
        var page = api.rowsPage("cats", dev.ferry.core.model.BundleRef.id(first.bundle().id()),
                new dev.ferry.core.model.RowsPage.Query(List.of("label", "data_id"), 2, 5));
        assertThat(page.columns()).containsExactly("label", "data_id");
        assertThat(page.offset()).isEqualTo(2);
        assertThat(page.rows()).singleElement().satisfies(r -> assertThat(r).containsExactly("dog", all.rows().get(2).get(0)));
        assertThat(api.rowsPage("cats", null, new dev.ferry.core.model.RowsPage.Query(List.of(), 3, 5)).rows()).isEmpty();
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> api.rowsPage("cats", null,
                new dev.ferry.core.model.RowsPage.Query(List.of("label\" FROM x; --"), 0, 5)));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> new dev.ferry.core.model.RowsPage.Query(List.of(), 0, 0));
        // a filter: the total is what it keeps; anything but the allowed forms is refused before the engine
        var dogs = api.rowsPage("cats", null, new dev.ferry.core.model.RowsPage.Query("label = 'dog' OR data_id IS NULL",
                List.of("label"), 0, 10));
        assertThat(dogs.total()).isEqualTo(1);
        assertThat(dogs.rows()).containsExactly(List.of("dog"));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> api.rowsPage("cats", null,
                new dev.ferry.core.model.RowsPage.Query("read_text('/etc/passwd') IS NOT NULL", List.of(), 0, 10)));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> api.rowsPage("cats", null,
                new dev.ferry.core.model.RowsPage.Query("label = 'a'; DROP TABLE x", List.of(), 0, 10)));
    }

    @Test
    void twoVersionsRowsDifferByDataId() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("v1")).csv("filename,label", "a0.jpg,cat", "a1.jpg,cat",
                "a2.jpg,dog").images("a", 4, 32, 32);
        PushResult first = api.push(new PushRequest(d.dir(), null, CATS, "first", null), TransferListener.NONE);
        // a1 relabelled, a2 gone, a3 new
        java.nio.file.Files.writeString(d.dir().resolve("labels.csv"), "filename,label\na0.jpg,cat\na1.jpg,dog\na3.jpg,dog\n");
        PushResult second = api.push(new PushRequest(d.dir(), null, CATS, "second", null), TransferListener.NONE);
        var from = dev.ferry.core.model.BundleRef.id(first.bundle().id());
        var diff = api.rowsDiff("cats", from, dev.ferry.core.model.BundleRef.label("latest"),
                new dev.ferry.core.model.RowsDiff.Query(null, 0, 100));
        assertThat(diff.from()).isEqualTo(first.bundle().id());
        assertThat(diff.to()).isEqualTo(second.bundle().id());
        assertThat(List.of(diff.added(), diff.removed(), diff.changed(), diff.unchanged())).containsExactly(1L, 1L, 1L, 1L);
        assertThat(diff.labelChanges()).containsExactly(new dev.ferry.core.model.RowsDiff.LabelChange("cat", "dog", 1));
        assertThat(diff.total()).isEqualTo(3);
        // the newer version's order, the removed record last
        assertThat(diff.changes()).extracting(c -> c.kind().name()).containsExactly("changed", "added", "removed");
        var changed = diff.changes().get(0);
        assertThat(changed.columns()).containsExactly("label");
        assertThat(changed.before()).containsEntry("filename", "a1.jpg").containsEntry("label", "cat");
        assertThat(changed.after()).containsEntry("label", "dog");
        assertThat(diff.changes().get(1).before()).isNull();
        assertThat(diff.changes().get(2).after()).isNull();
        assertThat(diff.changes().get(2).before()).containsEntry("filename", "a2.jpg");
        // one kind, paged
        var removed = api.rowsDiff("cats", from, dev.ferry.core.model.BundleRef.label("latest"),
                new dev.ferry.core.model.RowsDiff.Query(dev.ferry.core.model.RowsDiff.Kind.removed, 0, 10));
        assertThat(removed.total()).isEqualTo(1);
        assertThat(removed.changes()).singleElement().satisfies(c -> assertThat(c.dataId()).isEqualTo(diff.changes().get(2).dataId()));
        assertThat(api.rowsDiff("cats", from, from, new dev.ferry.core.model.RowsDiff.Query(null, 0, 10)))
                .satisfies(same -> assertThat(same.unchanged()).isEqualTo(3))
                .satisfies(same -> assertThat(same.changes()).isEmpty());
        assertCode(ErrorCode.NOT_FOUND, () -> api.rowsDiff("cats", dev.ferry.core.model.BundleRef.label("nope"), from,
                new dev.ferry.core.model.RowsDiff.Query(null, 0, 10)));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> new dev.ferry.core.model.RowsDiff.Query(null, 0, 10_001));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> dev.ferry.core.model.RowsDiff.Query.kind("moved"));
    }

    @Test
    void aFailingRunEndsFailedWithTheErrorOfItsCause() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("bad")).csv("filename,label", "a0.jpg,cat", "gone.jpg,dog")
                .images("a", 1, 32, 32);
        Submission s = api.submit(staged(new PushRequest(d.dir(), null, CATS, null, null)), null);
        api.watchRun(s.run().id(), 0, e -> true);
        Run failed = api.getRun(s.run().id());
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.failure().code()).isEqualTo("INVALID_ARGUMENT");
        assertThat(failed.failure().message()).contains("gone.jpg");
        assertThat(milestones(api, s.run().id())).containsExactly("received", "state:planning", "failed");
        assertThat(api.listRepos()).isEmpty();
        // done on the server's own threads: no worker of its own, so no worker log (its events are its log)
        assertCode(ErrorCode.NOT_FOUND, () -> api.copyWorkerLog(s.run().id(), false, java.io.OutputStream.nullOutputStream()));
    }
}
