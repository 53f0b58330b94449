package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.blob.LocalBlobStoreSupport;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.maint.FsckReport;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.PackFormat;
import dev.ferry.core.testing.TestFiles;
import dev.ferry.core.transfer.TransferListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store heals: a blob found damaged or missing is recorded as such and no longer deduplicated
 * against, so the next upload of its content stores it again and old bundles read again; fsck --repair
 * rebuilds what the packs still hold; a bundle is never committed over data that is not there.
 */
class StoreHealingTest {
    @TempDir
    Path tmp;

    LocalFerry ferry;
    Path src;

    @BeforeEach
    void open() throws Exception {
        ferry = LocalFerry.open(new FerryHome(tmp.resolve("home")));
        ferry.createRepo("demo", "");
        src = tmp.resolve("src");
        TestFiles.tree(src, 40, 3);
        TestFiles.write(src.resolve("d/victim.bin"), TestFiles.randomBytes(4242, 5000));
    }

    @AfterEach
    void close() {
        ferry.close();
    }

    private Bundle upload(String message) {
        return ferry.upload(new UploadRequest(src, "demo", message, null), TransferListener.NONE).bundle();
    }

    private FileEntry file(Bundle bundle, String path) {
        List<FileEntry> files = new ArrayList<>();
        ferry.listFiles("demo", BundleRef.id(bundle.id()), files::add);
        return files.stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
    }

    private BlobLocation where(FileEntry f) {
        return ferry.store().index().locate(List.of(f.digest())).get(f.digest());
    }

    private Path download(Bundle bundle) {
        Path out = tmp.resolve("out-" + System.nanoTime());
        ferry.download(new DownloadRequest("demo", BundleRef.id(bundle.id()), out, null, false), TransferListener.NONE);
        return out;
    }

    @Test
    void aFlippedByteFoundByFsckIsStoredAgainByTheNextUploadAndTheOldBundleReadsAgain() throws Exception {
        Bundle old = upload("first");
        BlobLocation at = where(file(old, "d/victim.bin"));
        LocalBlobStoreSupport.flipByte(ferry.store().packs(), at.packId(), at.offset() + 100);

        FsckReport found = ferry.fsck(true, s -> {});
        assertThat(found.problems()).extracting(FsckReport.Problem::kind).containsExactly("damaged-blob", "bundle-data-lost");
        assertThat(found.problems().get(1).detail()).contains("'d/victim.bin'", "found damaged", "push or upload that file again");
        assertThat(ferry.store().index().damagedBlobs()).hasSize(1);

        // the same folder again: the damaged blob is not deduplicated against, it is stored anew
        Bundle again = upload("again");
        assertThat(again.id()).isEqualTo(old.id()); // identical content: the same bundle
        assertThat(ferry.store().index().damagedBlobs()).isEmpty();
        assertThat(where(file(old, "d/victim.bin")).packId()).isNotEqualTo(at.packId());
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
        TestFiles.assertSameTree(src, download(old));
    }

    @Test
    void aDownloadThatMeetsADamagedBlobRecordsItAndTheNextUploadHealsIt() throws Exception {
        Bundle old = upload("first");
        BlobLocation at = where(file(old, "d/victim.bin"));
        LocalBlobStoreSupport.flipByte(ferry.store().packs(), at.packId(), at.offset() + 7);
        Path out = tmp.resolve("refused");
        assertThatThrownBy(() -> ferry.download(new DownloadRequest("demo", BundleRef.id(old.id()), out, null, false),
                TransferListener.NONE)).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.DATA_CORRUPT))
                .satisfies(e -> assertThat(((FerryException) e).hint()).contains("push or upload the files it came from again"));
        assertThat(ferry.store().index().damagedBlobs()).extracting(d -> d.location().digest())
                .containsExactly(file(old, "d/victim.bin").digest());

        upload("heal");
        TestFiles.assertSameTree(src, download(old));
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
    }

    @Test
    void anUploadOverADeletedPackStoresItsDataAgainInsteadOfCommittingABundleThatCannotBeRead() throws Exception {
        Bundle old = upload("first");
        BlobLocation at = where(file(old, "d/victim.bin"));
        Files.delete(Path.of(ferry.store().packs().locate(at.packId())));

        // unchanged folder, warm stat cache: still, nothing is committed over data that is not there
        Bundle again = upload("again");
        assertThat(again.id()).isEqualTo(old.id());
        TestFiles.assertSameTree(src, download(old));
        assertThat(ferry.fsck(true, s -> {}).clean()).as("fsck after the heal").isTrue();
    }

    @Test
    void aDamagedTrailingIndexIsOneProblemAndRepairRewritesThePack() throws Exception {
        Bundle old = upload("first");
        BlobLocation at = where(file(old, "d/victim.bin"));
        long size = ferry.store().packs().size(at.packId());
        LocalBlobStoreSupport.flipByte(ferry.store().packs(), at.packId(), size - PackFormat.TRAILER_BYTES - 10);

        FsckReport found = ferry.fsck(true, s -> {});
        assertThat(found.problemCount()).isEqualTo(1);
        assertThat(found.problems().getFirst().kind()).isEqualTo("damaged-pack-index");
        assertThat(found.problems().getFirst().detail()).contains("read back intact", "fsck --repair");
        TestFiles.assertSameTree(src, download(old));

        FsckReport repaired = ferry.fsck(true, true, s -> {});
        assertThat(repaired.clean()).isTrue();
        assertThat(repaired.repaired()).singleElement().asString().contains("trailing index was damaged");
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
        TestFiles.assertSameTree(src, download(old));
    }

    @Test
    void repairIndexesPacksTheCatalogDoesNotKnow() throws Exception {
        Bundle old = upload("first");
        BlobLocation at = where(file(old, "d/victim.bin"));
        List<BlobLocation> rows = ferry.store().index().blobsInPack(at.packId());
        ferry.store().index().removePacks(List.of(at.packId())); // as if the catalog lost them
        FsckReport lost = ferry.fsck(true, s -> {});
        assertThat(lost.orphanPacks()).isEqualTo(1);
        assertThat(lost.problems()).extracting(FsckReport.Problem::kind).containsAnyOf("bundle-data-lost", "damaged-manifest");

        FsckReport repaired = ferry.fsck(true, true, s -> {});
        assertThat(repaired.repaired()).singleElement().asString().contains("indexed", rows.size() + " blobs");
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
        TestFiles.assertSameTree(src, download(old));
    }

    @Test
    void aPushOverADeletedPackStoresItAgainAndItsVersionIsWhole() throws Exception {
        ConfigFlags cats = new ConfigFlags("cats", "image_classification", "train", "label", null,
                null, null, null, null, null, null, null, null);
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("ds")).csv("filename,label", "a0.jpg,cat", "a1.jpg,dog")
                .images("a", 2, 32, 32);
        PushResult first = ferry.push(new PushRequest(d.dir(), null, cats, "first", null), TransferListener.NONE);
        List<FileEntry> files = new ArrayList<>();
        ferry.listFiles("cats", BundleRef.id(first.bundle().id()), files::add);
        FileEntry image = files.stream().filter(f -> f.path().endsWith("a0.jpg")).findFirst().orElseThrow();
        Files.delete(Path.of(ferry.store().packs().locate(ferry.store().index().locate(List.of(image.digest())).get(image.digest()).packId())));

        PushResult again = ferry.push(new PushRequest(d.dir(), null, cats, "again", null), TransferListener.NONE);
        assertThat(again.bundle().id()).isEqualTo(first.bundle().id());
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
        Path out = tmp.resolve("pulled");
        ferry.download(new DownloadRequest("cats", BundleRef.label("latest"), out, null, false), TransferListener.NONE);
        assertThat(out.resolve(image.path())).exists();
    }

    @Test
    void aPushStoppedWhileItsRecordsAreCheckedLeavesNoBundleAndNoLabel() throws Exception {
        ConfigFlags cats = new ConfigFlags("cats", "image_classification", "train", "label", null,
                null, null, null, null, null, null, null, null);
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("ds")).csv("filename,label", "a0.jpg,cat", "a1.jpg,dog")
                .images("a", 2, 32, 32);
        java.util.concurrent.atomic.AtomicBoolean checking = new java.util.concurrent.atomic.AtomicBoolean();
        dev.ferry.core.run.RunContext stopsDuringChecks = new dev.ferry.core.run.RunContext() {
            final dev.ferry.core.run.RunContext base = dev.ferry.core.run.RunContext.detached();

            @Override public String runId() { return "test"; }
            @Override public void enter(dev.ferry.core.run.RunState state, String message) {}
            @Override public void claim(String target, String detail) {}
            @Override public TransferListener transfers() { return base.transfers(); }
            @Override public void records(long done, long total) { checking.set(true); }
            @Override public void log(String level, String message) {}
            @Override public boolean cancelled() { return checking.get(); }
        };
        assertThatThrownBy(() -> ferry.pushNow(new PushRequest(d.dir(), null, cats, "first", "v1"), stopsDuringChecks))
                .isInstanceOf(dev.ferry.core.run.RunCancelled.class);
        // the files were stored, but no bundle, rows or label name them: latest never pointed at a half version
        assertThat(ferry.listBundles("cats")).isEmpty();
        assertThat(ferry.listLabels("cats")).isEmpty();
        assertThat(ferry.listIngestions("cats")).isEmpty();

        PushResult pushed = ferry.push(new PushRequest(d.dir(), null, cats, "again", "v1"), TransferListener.NONE);
        assertThat(pushed.newVersion()).isTrue();
        assertThat(ferry.getIngestion("cats", BundleRef.label("latest")).bundleId()).isEqualTo(pushed.bundle().id());
        assertThat(ferry.getIngestion("cats", BundleRef.label("v1")).rowCount()).isEqualTo(2);
    }

    @Test
    void aFailedForcedDownloadLeavesTheDestinationExactlyAsItWas() throws Exception {
        Bundle old = upload("first");
        Path dest = tmp.resolve("dest");
        TestFiles.write(dest.resolve("d/victim.bin"), "mine".getBytes());
        TestFiles.write(dest.resolve("keep.txt"), "keep".getBytes());
        Path before = tmp.resolve("before");
        TestFiles.write(before.resolve("d/victim.bin"), "mine".getBytes());
        TestFiles.write(before.resolve("keep.txt"), "keep".getBytes());
        BlobLocation at = where(file(old, "d/victim.bin"));
        LocalBlobStoreSupport.flipByte(ferry.store().packs(), at.packId(), at.offset() + 3);

        assertThatThrownBy(() -> ferry.download(new DownloadRequest("demo", BundleRef.id(old.id()), dest, null, true),
                TransferListener.NONE)).isInstanceOf(FerryException.class);
        TestFiles.assertSameTree(before, dest);
        // and a refused download into a new folder leaves no folder behind
        Path fresh = tmp.resolve("new/deeper");
        assertThatThrownBy(() -> ferry.download(new DownloadRequest("demo", BundleRef.id(old.id()), fresh, null, false),
                TransferListener.NONE)).isInstanceOf(FerryException.class);
        assertThat(tmp.resolve("new")).doesNotExist();

        upload("heal");
        ferry.download(new DownloadRequest("demo", BundleRef.id(old.id()), dest, null, true), TransferListener.NONE);
        assertThat(dest.resolve("keep.txt")).hasContent("keep");
        assertThat(dest.resolve("d/victim.bin")).hasSameBinaryContentAs(src.resolve("d/victim.bin"));
    }

    @Test
    void aForcedDownloadWhoseSwapFailsHalfwayPutsBackWhatItMovedAside() throws Exception {
        // the bundle has files at the top level, and a file where the destination has a mount point,
        // which cannot be moved aside (EBUSY, even for root): the swap fails after some replacements
        for (int i = 0; i < 12; i++) {
            TestFiles.write(src.resolve("top" + i + ".txt"), ("new " + i).getBytes());
        }
        TestFiles.write(src.resolve("busy"), "a file in the bundle".getBytes());
        Bundle bundle = upload("with top-level files");
        Path dest = tmp.resolve("dest");
        Path before = tmp.resolve("before");
        for (Path root : List.of(dest, before)) {
            for (int i = 0; i < 12; i++) {
                TestFiles.write(root.resolve("top" + i + ".txt"), ("old " + i).getBytes());
            }
            TestFiles.write(root.resolve("mine.txt"), "mine".getBytes());
            Files.createDirectories(root.resolve("busy"));
        }
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dest.resolve("busy").toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here (tests need root)");
        try {
            assertThatThrownBy(() -> ferry.download(new DownloadRequest("demo", BundleRef.id(bundle.id()), dest, null, true),
                    TransferListener.NONE)).isInstanceOf(FerryException.class);
            TestFiles.assertSameTree(before, dest);
            try (var names = Files.list(dest)) {
                assertThat(names.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".ferry-partial-"));
            }
        } finally {
            new ProcessBuilder("umount", "-l", dest.resolve("busy").toString()).start().waitFor();
        }
    }
}
