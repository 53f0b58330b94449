package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.blob.LocalBlobStoreSupport;
import dev.ferry.core.blob.PackedBlobStore;
import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.catalog.LabelCondition;
import dev.ferry.core.chunk.GearChunker;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.run.RunContext;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.maint.FsckReport;
import dev.ferry.core.maint.GcReport;
import dev.ferry.core.model.Author;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.DiffEntry;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.model.Label;
import dev.ferry.core.pack.BlobLocation;
import dev.ferry.core.pack.LocalPackStore;
import dev.ferry.core.pack.PackStore;
import dev.ferry.core.testing.TestFiles;
import dev.ferry.core.transfer.TransferListener;
import dev.ferry.core.transfer.UpdateOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process API end to end, on real files, SQLite and a local pack store. */
class LocalFerryTest {
    @TempDir
    Path tmp;

    FerryHome home;
    LocalFerry ferry;
    Path src;

    @BeforeEach
    void setUp() throws IOException {
        home = new FerryHome(tmp.resolve("home"));
        ferry = LocalFerry.open(home);
        ferry.createRepo("demo", "test repo");
        src = tmp.resolve("src");
        Files.createDirectories(src);
    }

    @AfterEach
    void tearDown() {
        ferry.close();
    }

    /** A tree with small files, an empty file, a chunked large file and unusual modes. */
    private void sampleTree() throws IOException {
        TestFiles.tree(src, 60, 1);
        Files.createFile(src.resolve("empty.txt"));
        TestFiles.writeRandom(src.resolve("big/large.bin"), 9, 3 * GearChunker.MAX_SIZE + 12345);
        Path exe = TestFiles.write(src.resolve("bin/run.sh"), "#!/bin/sh\necho hi\n".getBytes());
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = TestFiles.write(src.resolve("secret.key"), "k".getBytes());
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        TestFiles.write(src.resolve("unicode/café ☕.txt"), "ü".getBytes(StandardCharsets.UTF_8));
    }

    private UploadResult upload(String message, String label) {
        return ferry.upload(new UploadRequest(src, "demo", message, label), TransferListener.NONE);
    }

    private Path download(BundleRef ref) {
        Path out = tmp.resolve("out-" + System.nanoTime());
        ferry.download(new DownloadRequest("demo", ref, out, null, false), TransferListener.NONE);
        return out;
    }

    private static void assertCode(ErrorCode code, ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).as(e.getMessage()).isEqualTo(code));
    }

    @Test
    void aTreeComesBackBitForBitWithModes() throws IOException {
        sampleTree();
        UploadResult r = upload("first", "init");
        assertThat(r.created()).isTrue();
        assertThat(r.bundle().fileCount()).isEqualTo(65);
        assertThat(r.outcome().skipped()).isEmpty();
        TestFiles.assertSameTree(src, download(BundleRef.label("init")));
        TestFiles.assertSameTree(src, download(BundleRef.id(r.bundle().id())));
        List<FileEntry> files = new ArrayList<>();
        ferry.listFiles("demo", BundleRef.label("latest"), files::add);
        assertThat(files).extracting(FileEntry::path).contains("bin/run.sh", "unicode/café ☕.txt", "empty.txt");
        assertThat(files).filteredOn(f -> f.path().equals("bin/run.sh")).first()
                .satisfies(f -> assertThat(f.mode()).isEqualTo(0755));
        assertThat(files).filteredOn(f -> f.path().equals("big/large.bin")).first()
                .satisfies(f -> assertThat(f.chunks()).hasSizeGreaterThan(3));
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
    }

    @Test
    void changingOneFileMakesANewBundleThatDiffsByExactlyThatFile() throws IOException {
        sampleTree();
        Bundle first = upload("first", "init").bundle();
        long before = storeBytes();
        TestFiles.write(src.resolve("d1/s1/f1.bin"), TestFiles.randomBytes(777, 4000));
        UploadResult second = upload("second", null);
        assertThat(second.created()).isTrue();
        assertThat(second.bundle().parent()).isEqualTo(first.id());
        // that file, plus the manifest pages and root that changed with it
        assertThat(second.outcome().newBytes()).isBetween(4000L, 4000L + 16_384);
        assertThat(storeBytes() - before).isBetween(4000L, 4000L + 16_384 + 4096);
        List<DiffEntry> diff = new ArrayList<>();
        ferry.diff("demo", BundleRef.label("init"), BundleRef.label("latest"), diff::add);
        assertThat(diff).singleElement().satisfies(d -> {
            assertThat(d).isInstanceOf(DiffEntry.Modified.class);
            assertThat(d.path()).isEqualTo("d1/s1/f1.bin");
        });
        assertThat(ferry.listBundles("demo")).extracting(Bundle::id).containsExactly(first.id(), second.bundle().id());
        assertThat(ferry.listLabels("demo")).extracting(Label::name, Label::bundleId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("init", first.id()),
                org.assertj.core.groups.Tuple.tuple("latest", second.bundle().id()));
    }

    @Test
    void uploadingIdenticalContentReturnsTheExistingBundleAndStoresNothing() throws IOException {
        sampleTree();
        UploadResult first = upload("first", null);
        long before = storeBytes();
        UploadResult again = upload("again", "same");
        assertThat(again.created()).isFalse();
        assertThat(again.bundle().id()).isEqualTo(first.bundle().id());
        assertThat(again.outcome().newBytes()).isZero();
        assertThat(again.outcome().packsWritten()).isZero();
        assertThat(storeBytes()).isEqualTo(before);
        assertThat(ferry.getLabel("demo", "same").bundleId()).isEqualTo(first.bundle().id());
    }

    @Test
    void theStatCacheSkipsUnchangedFilesButNotTouchedOnes() throws IOException {
        sampleTree();
        UploadResult first = upload("first", null);
        assertThat(first.outcome().filesRead()).isEqualTo(65);
        UploadResult second = upload("second", null);
        assertThat(second.outcome().filesFromCache()).isEqualTo(65);
        assertThat(second.outcome().filesRead()).isZero();
        Files.setLastModifiedTime(src.resolve("empty.txt"), FileTime.fromMillis(1_000_000));
        UploadResult third = upload("third", null);
        assertThat(third.outcome().filesRead()).isEqualTo(1);
        assertThat(third.bundle().id()).isEqualTo(first.bundle().id()); // same content
    }

    @Test
    void theNoChangeShortcutNoticesDeletedAndAddedFiles() throws IOException {
        sampleTree();
        Bundle first = upload("first", null).bundle();
        Files.delete(src.resolve("d3/s0/f3.bin"));
        UploadResult fewer = upload("one deleted", null);
        assertThat(fewer.created()).isTrue();
        assertThat(fewer.bundle().fileCount()).isEqualTo(first.fileCount() - 1);
        TestFiles.write(src.resolve("zz-new.txt"), "new".getBytes());
        UploadResult more = upload("one added", null);
        assertThat(more.created()).isTrue();
        assertThat(more.bundle().fileCount()).isEqualTo(first.fileCount());
        assertThat(more.outcome().filesRead()).isEqualTo(1);
        TestFiles.assertSameTree(src, download(BundleRef.label("latest")));
        UploadResult same = upload("unchanged", null);
        assertThat(same.created()).isFalse();
        assertThat(same.bundle().id()).isEqualTo(more.bundle().id());
        assertThat(same.outcome().filesRead()).isZero();
    }

    @Test
    void theStatCacheNeverVouchesForBlobsTheStoreLost() throws IOException {
        sampleTree();
        upload("first", null);
        ferry.deleteRepo("demo", true);
        GcReport gc = ferry.gc(Duration.ZERO, false, s -> {});
        assertThat(gc.packsDeleted()).isPositive();
        ferry.createRepo("demo", "again");
        UploadResult again = upload("again", null);
        assertThat(again.outcome().filesRead()).isEqualTo(64); // all but the empty file, which needs no blob
        assertThat(again.outcome().filesFromCache()).isEqualTo(1);
        TestFiles.assertSameTree(src, download(BundleRef.label("latest")));
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
    }

    @Test
    void insertingOneByteInALargeFileStoresOnlyTheChunksAroundIt() throws IOException {
        Path big = TestFiles.writeRandom(src.resolve("big.bin"), 5, 40L << 20);
        upload("first", null);
        byte[] all = Files.readAllBytes(big);
        byte[] edited = new byte[all.length + 1];
        int middle = all.length / 2;
        System.arraycopy(all, 0, edited, 0, middle);
        edited[middle] = 42;
        System.arraycopy(all, middle, edited, middle + 1, all.length - middle);
        Files.write(big, edited);
        UploadResult second = upload("second", null);
        assertThat(second.outcome().newBytes()).isLessThan(3L * GearChunker.MAX_SIZE).isGreaterThan(0);
        assertThat(second.outcome().newBytes()).isLessThan(all.length / 4);
        TestFiles.assertSameTree(src, download(BundleRef.label("latest")));
    }

    @Test
    void symlinksAreFollowedOnlyInsideTheFolder() throws IOException {
        TestFiles.write(src.resolve("real/data.txt"), "inside".getBytes());
        Path outside = TestFiles.write(tmp.resolve("outside.txt"), "secret".getBytes());
        Files.createSymbolicLink(src.resolve("inside-link.txt"), src.resolve("real/data.txt"));
        Files.createSymbolicLink(src.resolve("outside-link.txt"), outside);
        Files.createSymbolicLink(src.resolve("broken-link"), src.resolve("nothing-here"));
        Files.createSymbolicLink(src.resolve("real/loop"), src.resolve("real"));
        Files.createSymbolicLink(src.resolve("dir-link"), src.resolve("real"));
        UploadResult r = upload("links", null);
        assertThat(r.outcome().skipped()).extracting(s -> s.path() + ": " + s.reason()).containsExactlyInAnyOrder(
                "broken-link: broken symbolic link",
                "dir-link/loop: symbolic link loops back to a parent directory",
                "outside-link.txt: symbolic link leaves the folder (-> " + outside.toRealPath() + ")",
                "real/loop: symbolic link loops back to a parent directory");
        List<String> paths = new ArrayList<>();
        ferry.listFiles("demo", BundleRef.label("latest"), f -> paths.add(f.path()));
        assertThat(paths).containsExactly("dir-link/data.txt", "inside-link.txt", "real/data.txt");
    }

    @Test
    void badSourcesAreRefusedAndNothingIsCommitted() throws IOException {
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> upload("empty", null));
        Files.createSymbolicLink(src.resolve("only-link"), tmp);
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> upload("only skipped", null));
        assertCode(ErrorCode.LOCAL_PATH, () -> ferry.upload(new UploadRequest(tmp.resolve("missing"), "demo", "m", null),
                TransferListener.NONE));
        assertCode(ErrorCode.NOT_FOUND, () -> ferry.upload(new UploadRequest(src, "nope", "m", null),
                TransferListener.NONE));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> ferry.upload(new UploadRequest(src, "demo", "m", "bad label!"),
                TransferListener.NONE));
        assertThat(ferry.listBundles("demo")).isEmpty();
    }

    @Test
    void aFileOnItsOwnIsABundleOfThatFileUnderItsName() throws IOException {
        Path file = TestFiles.write(tmp.resolve("elsewhere/plain.txt"), TestFiles.randomBytes(3, 100));
        TestFiles.write(tmp.resolve("elsewhere/not-this.txt"), new byte[1]);
        ferry.upload(new UploadRequest(file, "demo", "one file", null), TransferListener.NONE);
        List<String> paths = new ArrayList<>();
        ferry.listFiles("demo", BundleRef.label("latest"), f -> paths.add(f.path()));
        assertThat(paths).containsExactly("plain.txt");
    }

    @Test
    void aNameThatIsNotUtf8IsRefusedByName() throws IOException {
        TestFiles.write(src.resolve("ok.txt"), new byte[1]);
        // Create a file whose name is the single Latin-1 byte 0xE9, below a readable directory.
        Process p = new ProcessBuilder("sh", "-c", "touch \"$(printf 'caf\\351.txt')\"").directory(src.toFile()).start();
        assertThat(waitFor(p)).isZero();
        assertThatThrownBy(() -> upload("latin1", null)).isInstanceOf(FerryException.class)
                .hasMessageContaining("not valid UTF-8").hasMessageContaining("caf");
        assertThat(ferry.listBundles("demo")).isEmpty();
    }

    /** What the JVM makes of a command-line path whose bytes are not UTF-8: U+FFFD in their place. */
    @Test
    void anArgumentPathThatIsNotUtf8IsSaidSo() throws IOException {
        TestFiles.write(src.resolve("ok.txt"), new byte[1]);
        assertThatThrownBy(() -> ferry.upload(new UploadRequest(tmp.resolve("dir\uFFFD"), "demo", "m", null),
                TransferListener.NONE)).isInstanceOf(FerryException.class)
                .hasMessageContaining("--path").hasMessageContaining("is not valid UTF-8")
                .extracting(e -> ((FerryException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        upload("first", "latest");
        Path out = tmp.resolve("out\uFFFD");
        assertThatThrownBy(() -> ferry.download(new DownloadRequest("demo", BundleRef.label("latest"), out, null, false),
                TransferListener.NONE)).isInstanceOf(FerryException.class)
                .hasMessageContaining("--destination").hasMessageContaining("is not valid UTF-8");
        assertThat(out).doesNotExist();
        assertThatThrownBy(() -> ferry.update("demo", BundleRef.label("latest"), out, TransferListener.NONE))
                .isInstanceOf(FerryException.class).hasMessageContaining("--destination")
                .hasMessageContaining("is not valid UTF-8");
        assertThat(out).doesNotExist();
        // a name that really holds U+FFFD (valid UTF-8) exists, and is used as it is
        Files.createDirectories(out);
        ferry.download(new DownloadRequest("demo", BundleRef.label("latest"), out, null, false), TransferListener.NONE);
        assertThat(out.resolve("ok.txt")).exists();
    }

    @Test
    void pathsLongerThanPathMaxAreRefused() throws IOException {
        Path deep = src;
        StringBuilder rel = new StringBuilder();
        while (rel.length() < 4200) {
            String part = "d".repeat(200);
            rel.append(part).append('/');
            Process p = new ProcessBuilder("mkdir", part).directory(deep.toFile()).start();
            assertThat(waitFor(p)).isZero();
            deep = deep.resolve(part);
        }
        try {
            assertThatThrownBy(() -> upload("deep", null)).isInstanceOf(FerryException.class)
                    .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("longer than 4096 bytes");
            assertThat(ferry.listBundles("demo")).isEmpty();
        } finally {
            // rm walks relative to each directory; JUnit's cleanup cannot delete beyond PATH_MAX
            assertThat(waitFor(new ProcessBuilder("rm", "-rf", "src").directory(tmp.toFile()).start())).isZero();
        }
    }

    private static int waitFor(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFileThatChangesOrVanishesWhileReadFailsTheUploadCleanly() throws IOException {
        Path victim = TestFiles.write(src.resolve("growing.log"), TestFiles.randomBytes(1, 1000));
        AtomicBoolean once = new AtomicBoolean();
        TransferListener grow = new TransferListener() {
            @Override
            public void found(long bytes) {
                if (once.compareAndSet(false, true)) {
                    try {
                        Files.write(victim, new byte[500], java.nio.file.StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        assertCode(ErrorCode.SOURCE_CHANGED, () -> ferry.uploadNow(new UploadRequest(src, "demo", "m", null), RunContext.listening(grow)));
        TransferListener vanish = new TransferListener() {
            @Override
            public void found(long bytes) {
                try {
                    Files.deleteIfExists(victim);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        assertThatThrownBy(() -> ferry.uploadNow(new UploadRequest(src, "demo", "m", null), RunContext.listening(vanish)))
                .isInstanceOf(FerryException.class).hasMessageContaining("vanished");
        assertThat(ferry.listBundles("demo")).isEmpty();
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
    }

    @Test
    void downloadRefusesANonEmptyDestinationUnlessForced() throws IOException {
        sampleTree();
        upload("first", null);
        Path out = tmp.resolve("out");
        TestFiles.write(out.resolve("keep.txt"), "mine".getBytes());
        TestFiles.write(out.resolve("empty.txt"), "will be overwritten".getBytes());
        assertThatThrownBy(() -> ferry.download(new DownloadRequest("demo", BundleRef.label("latest"), out, null, false),
                TransferListener.NONE)).isInstanceOf(FerryException.class).hasMessageContaining("is not empty (2 entries)")
                .extracting(e -> ((FerryException) e).code()).isEqualTo(ErrorCode.DESTINATION_NOT_EMPTY);
        assertThat(Files.readString(out.resolve("empty.txt"))).isEqualTo("will be overwritten");
        ferry.download(new DownloadRequest("demo", BundleRef.label("latest"), out, null, true), TransferListener.NONE);
        assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("mine");
        assertThat(Files.size(out.resolve("empty.txt"))).isZero();
        Files.delete(out.resolve("keep.txt"));
        TestFiles.assertSameTree(src, out);
        Path single = tmp.resolve("single");
        TestFiles.write(single.resolve("only.txt"), new byte[1]);
        assertThatThrownBy(() -> ferry.download(new DownloadRequest("demo", BundleRef.label("latest"), single, null, false),
                TransferListener.NONE)).hasMessageContaining("is not empty (1 entry)");
        Path notADir = TestFiles.write(tmp.resolve("file"), new byte[1]);
        assertCode(ErrorCode.LOCAL_PATH, () -> ferry.download(
                new DownloadRequest("demo", BundleRef.label("latest"), notADir, null, false), TransferListener.NONE));
    }

    @Test
    void downloadOneFileOrAFilteredSubset() throws IOException {
        sampleTree();
        upload("first", null);
        Path out = tmp.resolve("one");
        ferry.downloadFile("demo", BundleRef.label("latest"), "bin/run.sh", out, false);
        assertThat(Files.mismatch(out.resolve("bin/run.sh"), src.resolve("bin/run.sh"))).isEqualTo(-1);
        assertThat(Files.getPosixFilePermissions(out.resolve("bin/run.sh"))).isEqualTo(
                PosixFilePermissions.fromString("rwxr-xr-x"));
        assertCode(ErrorCode.DESTINATION_NOT_EMPTY,
                () -> ferry.downloadFile("demo", BundleRef.label("latest"), "bin/run.sh", out, false));
        ferry.downloadFile("demo", BundleRef.label("latest"), "bin/run.sh", out, true);
        assertCode(ErrorCode.NOT_FOUND, () -> ferry.downloadFile("demo", BundleRef.label("latest"), "no/such", out, false));
        Path filtered = tmp.resolve("filtered");
        ferry.download(new DownloadRequest("demo", BundleRef.label("latest"), filtered, "^d3/.*f[0-9]*3\\.bin$", false),
                TransferListener.NONE);
        try (var s = Files.walk(filtered)) {
            assertThat(s.filter(Files::isRegularFile).map(p -> filtered.relativize(p).toString()))
                    .isNotEmpty().allMatch(p -> p.startsWith("d3/") && p.endsWith("3.bin"));
        }
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> ferry.download(
                new DownloadRequest("demo", BundleRef.label("latest"), tmp.resolve("x"), "([", false), TransferListener.NONE));
        assertCode(ErrorCode.NOT_FOUND, () -> ferry.download(
                new DownloadRequest("demo", BundleRef.label("latest"), tmp.resolve("y"), "zzz", false), TransferListener.NONE));
    }

    @Test
    void unknownRepoBundleAndLabelAreNotFound() throws IOException {
        sampleTree();
        upload("first", null);
        assertCode(ErrorCode.NOT_FOUND, () -> ferry.getBundle("nope", BundleRef.label("latest")));
        assertCode(ErrorCode.NOT_FOUND, () -> ferry.getBundle("demo", BundleRef.label("nope")));
        assertCode(ErrorCode.NOT_FOUND, () -> ferry.getBundle("demo", BundleRef.id("0".repeat(27))));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> ferry.getBundle("demo", BundleRef.id("short")));
        assertCode(ErrorCode.CONFLICT, () -> ferry.createRepo("demo", "dup"));
        assertCode(ErrorCode.CONFLICT, () -> ferry.deleteRepo("demo", false));
    }

    @Test
    void labelsMoveWithCompareAndSet() throws IOException {
        sampleTree();
        Bundle a = upload("a", null).bundle();
        TestFiles.write(src.resolve("new.txt"), new byte[3]);
        Bundle b = upload("b", null).bundle();
        ferry.setLabel("demo", "prod", a.id(), LabelCondition.ABSENT);
        assertCode(ErrorCode.CONFLICT, () -> ferry.setLabel("demo", "prod", b.id(), LabelCondition.pointsTo(b.id())));
        ferry.setLabel("demo", "prod", b.id(), LabelCondition.pointsTo(a.id()));
        assertThat(ferry.getLabel("demo", "prod").bundleId()).isEqualTo(b.id());
        assertThat(ferry.labelHistory("demo", "prod")).hasSize(2);
        assertThat(ferry.getBundle("demo", BundleRef.label("prod")).id()).isEqualTo(b.id());
    }

    @Test
    void updateMakesAFolderMatchABundle() throws IOException {
        sampleTree();
        upload("first", null);
        Path out = download(BundleRef.label("latest"));
        TestFiles.write(out.resolve("d1/s1/f1.bin"), "changed".getBytes());
        TestFiles.write(out.resolve("extra.txt"), "extra".getBytes());
        Files.delete(out.resolve("empty.txt"));
        Files.setPosixFilePermissions(out.resolve("secret.key"), PosixFilePermissions.fromString("rw-r--r--"));
        UpdateOutcome u = ferry.update("demo", BundleRef.label("latest"), out, TransferListener.NONE);
        assertThat(u).isEqualTo(new UpdateOutcome(1, 2, 1, 62));
        TestFiles.assertSameTree(src, out);
    }

    @Test
    void aDamagedPackIsDetectedByDownloadAndFsckAndNothingIsHalfWritten() throws Exception {
        sampleTree();
        TestFiles.write(src.resolve("d2/victim.bin"), TestFiles.randomBytes(31337, 3000));
        Bundle bundle = upload("first", null).bundle();
        List<FileEntry> files = new ArrayList<>();
        ferry.listFiles("demo", BundleRef.label("latest"), files::add);
        FileEntry victim = files.stream().filter(f -> f.path().equals("d2/victim.bin")).findFirst().orElseThrow();
        BlobLocation at = ferry.store().index().locate(List.of(victim.digest())).get(victim.digest());
        LocalBlobStoreSupport.flipByte(ferry.store().packs(), at.packId(), at.offset() + 1500);

        Path out = tmp.resolve("out");
        assertThatThrownBy(() -> ferry.download(new DownloadRequest("demo", BundleRef.label("latest"), out, null, false),
                TransferListener.NONE))
                .isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.DATA_CORRUPT))
                .hasMessageContaining(ferry.store().packs().locate(at.packId()));
        assertThat(out).as("a failed download leaves the destination as it was: absent").doesNotExist();
        FsckReport report = ferry.fsck(true, s -> {});
        assertThat(report.clean()).isFalse();
        // the download recorded the damaged copy already: fsck names the file that needs it and why
        assertThat(report.problems()).extracting(FsckReport.Problem::kind, FsckReport.Problem::subject)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bundle-data-lost", "repo demo bundle " + bundle.id()));
        assertThat(report.problems().get(0).detail()).contains("d2/victim.bin", "its bytes do not match the digest");
        assertThat(ferry.store().index().damagedBlobs()).singleElement()
                .satisfies(d -> assertThat(d.location()).isEqualTo(at));
    }

    @Test
    void aBundleOfManyManifestPagesComesBackAndADamagedBlobOnItsLastPageLeavesNothing() throws Exception {
        // ~6 pages of ~512 entries: the download looks up one page while the writers work on the one before
        for (int i = 0; i < 3000; i++) {
            TestFiles.write(src.resolve(String.format("d%02d/f%04d.txt", i % 30, i)), ("file " + i + "\n").getBytes());
        }
        upload("many", null);
        assertThat(dev.ferry.core.manifest.Manifest.open(ferry.store().blobs(),
                ferry.getBundle("demo", BundleRef.label("latest")).manifest()).pageCount()).isGreaterThan(3);
        TestFiles.assertSameTree(src, download(BundleRef.label("latest")));

        List<FileEntry> files = new ArrayList<>();
        ferry.listFiles("demo", BundleRef.label("latest"), files::add);
        FileEntry last = files.getLast();
        BlobLocation at = ferry.store().index().locate(List.of(last.digest())).get(last.digest());
        LocalBlobStoreSupport.flipByte(ferry.store().packs(), at.packId(), at.offset() + 2);
        Path out = tmp.resolve("out-damaged");
        assertCode(ErrorCode.DATA_CORRUPT, () -> ferry.download(new DownloadRequest("demo", BundleRef.label("latest"), out,
                null, false), TransferListener.NONE));
        assertThat(out).as("a failed download leaves the destination as it was: absent").doesNotExist();
    }

    @Test
    void aFullDiskFailsTheUploadWithoutCommittingAndTheNextUploadSucceeds() throws Exception {
        TestFiles.tree(src, 600, 3); // ~1.5 MB of small files
        try (JdbcDatabase db = JdbcDatabase.sqlite(home.catalogFile());
                PackStore full = new FaultyPackStore(new LocalPackStore(home.storeDir()), 600_000)) {
            LocalFerry tight = new LocalFerry(home, new Author("t", ""), db, full,
                    new PackedBlobStore(full, db.blobIndex(), db.catalog(), 64 * 1024, 2), 2);
            assertThatThrownBy(() -> tight.upload(new UploadRequest(src, "demo", "m", null), TransferListener.NONE))
                    .isInstanceOf(FerryException.class)
                    .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.STORAGE_FAILED))
                    .hasMessageContaining("disk full");
        }
        assertThat(ferry.listBundles("demo")).isEmpty();
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
        UploadResult ok = upload("after space was freed", null);
        assertThat(ok.outcome().newBytes()).isLessThan(ok.bundle().totalBytes()); // what was sealed is reused
        TestFiles.assertSameTree(src, download(BundleRef.label("latest")));
    }

    @Test
    void concurrentUploadsToOneRepoBothLand() throws Exception {
        Path a = TestFiles.tree(tmp.resolve("a"), 200, 11);
        Path b = TestFiles.tree(tmp.resolve("b"), 200, 12);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<UploadResult> fa = pool.submit(() -> ferry.upload(new UploadRequest(a, "demo", "a", "a"),
                    TransferListener.NONE));
            Future<UploadResult> fb = pool.submit(() -> ferry.upload(new UploadRequest(b, "demo", "b", "b"),
                    TransferListener.NONE));
            assertThat(fa.get().created()).isTrue();
            assertThat(fb.get().created()).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(ferry.listBundles("demo")).hasSize(2);
        TestFiles.assertSameTree(a, download(BundleRef.label("a")));
        TestFiles.assertSameTree(b, download(BundleRef.label("b")));
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
    }

    @Test
    void aGcWhileAnotherServerRunsOneOnTheSameCatalogIsRefused() {
        // the store lock is this machine's: servers sharing a catalog take turns through its gc claim
        try (GcTurn elsewhere = GcTurn.take(ferry.runLog(), dev.ferry.core.run.RunOwner.server(tmp.resolve("other")))) {
            assertThatThrownBy(() -> ferry.gc(Duration.ZERO, true, s -> {}))
                    .isInstanceOf(FerryException.class)
                    .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("another gc is running")
                    .hasMessageContaining("other");
        }
        assertThat(ferry.gc(Duration.ZERO, true, s -> {}).dryRun()).isTrue();
    }

    @Test
    void gcKeepsWhatBundlesNeedAndFreesTheRest() throws IOException {
        sampleTree();
        upload("first", null);
        Files.delete(src.resolve("big/large.bin"));
        upload("second", null);
        GcReport nothing = ferry.gc(Duration.ZERO, false, s -> {});
        assertThat(nothing.packsDeleted() + nothing.packsRepacked()).isZero();
        ferry.createRepo("other", "");
        ferry.upload(new UploadRequest(src, "other", "m", null), TransferListener.NONE);
        ferry.deleteRepo("demo", true);
        GcReport young = ferry.gc(Duration.ofHours(1), false, s -> {});
        assertThat(young.packsDeleted()).isZero();
        assertThat(young.packsKeptForGrace()).isPositive();
        GcReport dry = ferry.gc(Duration.ZERO, true, s -> {});
        assertThat(dry.bytesFreed()).isGreaterThan(3L * GearChunker.MAX_SIZE);
        long before = storeBytes();
        GcReport real = ferry.gc(Duration.ZERO, false, s -> {});
        assertThat(real.bytesFreed()).isEqualTo(dry.bytesFreed());
        assertThat(before - storeBytes()).isGreaterThan(3L * GearChunker.MAX_SIZE);
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
        Path out = tmp.resolve("other-out");
        ferry.download(new DownloadRequest("other", BundleRef.label("latest"), out, null, false), TransferListener.NONE);
        TestFiles.assertSameTree(src, out);
    }

    @Test
    void gcKeepsWhatWasMadeOfAFileWhileABundleHasItAndThenForgetsAndFreesIt() throws IOException {
        byte[] image = "an image's bytes".getBytes(StandardCharsets.UTF_8);
        TestFiles.write(src.resolve("images/a.jpg"), image);
        upload("first", null);
        dev.ferry.core.model.Digest source = dev.ferry.core.model.Digest.of(image);
        byte[] thumbnail = "its thumbnail".getBytes(StandardCharsets.UTF_8);
        dev.ferry.core.store.DerivedBlobs derived = ferry.derivedBlobs();
        derived.store("thumbnail-192", List.of(new dev.ferry.core.store.DerivedBlobs.Made.Bytes(source, thumbnail)));
        dev.ferry.core.model.Digest made = derived.find("thumbnail-192", List.of(source)).get(source).derived().orElseThrow();

        GcReport kept = ferry.gc(Duration.ZERO, false, s -> {});
        assertThat(kept.blobsDropped()).isZero(); // (its tiny packs may be merged: their headers outweigh them)
        assertThat(derived.read(made)).isEqualTo(thumbnail);

        ferry.deleteRepo("demo", true);
        GcReport freed = ferry.gc(Duration.ZERO, false, s -> {});
        assertThat(freed.packsDeleted()).isPositive();
        assertThat(derived.find("thumbnail-192", List.of(source))).as("no record names a deleted blob").isEmpty();
        assertThat(storeBytes()).isZero();
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
    }

    @Test
    void aTreeUploadedAgainAfterGcFreedItIsStoredWholeAndThenDeduplicated() throws IOException {
        sampleTree();
        long bytes = upload("first", null).outcome().newBytes();
        ferry.deleteRepo("demo", true);
        assertThat(ferry.gc(Duration.ZERO, false, s -> {}).bytesFreed()).isPositive();
        assertThat(storeBytes()).isZero();
        // every blob is new again: none may be skipped because the store remembered it from before gc
        ferry.createRepo("demo", "");
        UploadResult again = upload("again", null);
        assertThat(again.outcome().newBytes()).isEqualTo(bytes);
        TestFiles.assertSameTree(src, download(BundleRef.label("latest")));
        assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
        // and what is stored now is deduplicated again
        ferry.createRepo("other", "");
        UploadResult other = ferry.upload(new UploadRequest(src, "other", "m", null), TransferListener.NONE);
        assertThat(other.outcome().newBytes()).isZero();
    }

    private long storeBytes() throws IOException {
        try (var s = Files.walk(home.storeDir().resolve("packs"))) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
