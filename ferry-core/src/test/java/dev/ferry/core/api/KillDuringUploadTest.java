package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.home.FerryHome;
import dev.ferry.core.maint.FsckReport;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.testing.TestFiles;
import dev.ferry.core.transfer.TransferListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 in the middle of an upload: no bundle, a clean fsck, and the next upload resumes. */
class KillDuringUploadTest {
    @TempDir
    Path tmp;

    @Test
    void aPushKilledBetweenStoringAndCommittingLeavesNoVersionNoLabelAndAPushThatWorks() throws Exception {
        Path home = tmp.resolve("home");
        dev.ferry.core.ingest.dataset.DatasetBuilder d = new dev.ferry.core.ingest.dataset.DatasetBuilder(tmp.resolve("ds"))
                .csv("filename,label", "a0.jpg,cat", "a1.jpg,dog", "a2.jpg,cat").images("a", 3, 32, 32);
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = tmp.resolve("push.log");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SlowPushMain.class.getName(), home.toString(), d.dir().toString(), "cats")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (child.isAlive() && System.nanoTime() < deadline
                && !(Files.exists(log) && Files.readString(log).contains("checking"))) {
            Thread.sleep(10);
        }
        assertThat(child.isAlive()).as("child checking records; log: " + Files.readString(log)).isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        try (LocalFerry ferry = LocalFerry.open(new FerryHome(home))) {
            assertThat(ferry.listBundles("cats")).as("no bundle: it commits with its rows or not at all").isEmpty();
            assertThat(ferry.listLabels("cats")).isEmpty();
            assertThat(ferry.fsck(true, s -> {}).problems()).isEmpty();
            PushResult again = ferry.push(new PushRequest(d.dir(), null, new dev.ferry.core.ingest.ConfigFlags("cats",
                    "image_classification", "train", "label", null, null, null, null, null, null, null, null, null),
                    "again", "v1"), TransferListener.NONE);
            assertThat(again.newVersion()).isTrue();
            assertThat(ferry.getIngestion("cats", BundleRef.label("latest")).rowCount()).isEqualTo(3);
        }
    }

    @Test
    void anUploadKilledWithSigkillLeavesNoBundleAndTheNextOneSucceeds() throws Exception {
        Path home = tmp.resolve("home");
        Path src = TestFiles.tree(tmp.resolve("src"), 2000, 5);
        try (LocalFerry ferry = LocalFerry.open(new FerryHome(home))) {
            ferry.createRepo("demo", "");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SlowUploadMain.class.getName(), home.toString(), src.toString(), "demo")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (countPacks(home) < 3 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(child.isAlive()).as("child still uploading; log: " + Files.readString(tmp.resolve("child.log")))
                .isTrue();
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);

        try (LocalFerry ferry = LocalFerry.open(new FerryHome(home))) {
            assertThat(ferry.listBundles("demo")).as("no bundle from the killed upload").isEmpty();
            FsckReport fsck = ferry.fsck(true, s -> {});
            assertThat(fsck.problems()).as("fsck after kill -9: " + fsck).isEmpty();
            // a pack can be durable but not yet indexed when the kill lands: an orphan, not a problem
            assertThat(fsck.packs() + fsck.orphanPacks()).as("packs seen before the kill: " + fsck).isGreaterThanOrEqualTo(3);
            assertThat(fsck.packs()).as("indexed packs: " + fsck).isPositive();
            UploadResult again = ferry.upload(new UploadRequest(src, "demo", "again", null), TransferListener.NONE);
            assertThat(again.created()).isTrue();
            // everything indexed before the kill is reused: the index grows by exactly the new blobs
            long[] indexed = {0};
            ferry.store().index().forEachBlob(b -> indexed[0]++);
            assertThat(indexed[0]).as("re-upload: " + again.outcome()).isEqualTo(fsck.blobs() + again.outcome().newBlobs());
            Path out = tmp.resolve("out");
            ferry.download(new DownloadRequest("demo", BundleRef.label("latest"), out, null, false),
                    TransferListener.NONE);
            TestFiles.assertSameTree(src, out);
            ferry.gc(Duration.ZERO, false, s -> {});
            assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
            try (Stream<Path> partials = Files.list(home.resolve("store/tmp"))) {
                assertThat(partials).isEmpty();
            }
        }
    }

    private static long countPacks(Path home) throws Exception {
        Path packs = home.resolve("store/packs");
        if (!Files.isDirectory(packs)) return 0;
        try (Stream<Path> s = Files.walk(packs)) {
            return s.filter(p -> p.toString().endsWith(".pack")).count();
        }
    }
}
