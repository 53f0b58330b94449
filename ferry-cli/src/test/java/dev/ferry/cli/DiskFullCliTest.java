package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.testing.TestFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk at every write site of an upload and of a push (catalog, event log, packs, pack index,
 * manifest, journal, rows table, stat cache): FERRY_HOME is a small tmpfs, filled so that from no
 * space at all up to just not enough is left. Every attempt ends within seconds, with exit 7 and
 * "disk full … nothing was committed" (or succeeds), its run ends, the next command after freeing the
 * space works, and fsck finds nothing.
 */
class DiskFullCliTest {
    @TempDir
    static Path tmp;
    static Path mount;

    @BeforeAll
    static void mountTmpfs() throws Exception {
        mount = Files.createDirectories(tmp.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs here (tests need root): " + said);
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
        }
    }

    private static long freeBytes() throws IOException {
        return Files.getFileStore(mount).getUsableSpace();
    }

    /** Fills the tmpfs until {@code left} bytes are free. */
    private static void leave(long left) throws IOException {
        long fill = freeBytes() - left;
        byte[] zeros = new byte[4096];
        try (OutputStream out = Files.newOutputStream(mount.resolve("filler"))) {
            for (long written = 0; written + zeros.length <= fill; written += zeros.length) {
                out.write(zeros);
            }
        }
    }

    private static void wipe() throws IOException {
        try (var all = Files.list(mount)) {
            for (Path p : all.toList()) {
                dev.ferry.core.transfer.Downloader.deleteTree(p);
            }
        }
    }

    private interface Attempt {
        CliRun.Result run(CliRun ferry);
    }

    /** A CLI whose store is FERRY_HOME on the tmpfs, and how to stop what serves it. */
    private record Target(CliRun cli, AutoCloseable stop) {}

    /** The CLI with its own local server (started in this JVM by the first store command). */
    private static Target local() {
        CliRun cli = new CliRun(mount.resolve("home"));
        return new Target(cli, cli::stopServers);
    }

    /**
     * A CLI of another home that talks to a remote-style server on the tmpfs home (no local paths):
     * its data travels as packs over HTTP, and a push is checked from a scratch copy on the server.
     */
    private static Target remote() throws IOException {
        dev.ferry.core.api.LocalFerry store = dev.ferry.core.api.LocalFerry.open(new dev.ferry.core.home.FerryHome(mount.resolve("home")));
        String token = dev.ferry.server.FerryServer.newToken();
        dev.ferry.server.FerryServer server = new dev.ferry.server.FerryServer(store, token, false);
        int port = server.start("127.0.0.1", 0);
        store.startRunsAsServer();
        Path clientHome = tmp.resolve("client-home");
        dev.ferry.core.transfer.Downloader.deleteTree(clientHome);
        CliRun cli = new CliRun(clientHome).env("FERRY_SERVER", "http://127.0.0.1:" + port).env("FERRY_TOKEN", token);
        return new Target(cli, () -> {
            server.close();
            store.close();
        });
    }

    private interface TargetFactory {
        Target open() throws IOException;
    }

    /**
     * Measures what the attempt needs on an empty store, then runs it with every amount of free space
     * from none to a little less than that, in steps, and more finely close to the end, where the last
     * write sites are.
     */
    private void sweep(String what, TargetFactory target, Attempt setUp, Attempt attempt) throws Exception {
        wipe();
        Target first = target.open();
        try {
            setUp.run(first.cli());
            CliRun.Result ok = attempt.run(first.cli());
            assertThat(ok.exit()).as(ok.toString()).isZero();
        } finally {
            first.stop().close();
        }
        // everything the store holds afterwards: free space beyond it surely suffices
        long needed = Files.getFileStore(mount).getTotalSpace() - freeBytes();
        TreeSet<Long> lefts = new TreeSet<>();
        for (long left = 0; left < needed; left += Math.max(4096, needed / 12)) {
            lefts.add(left);
        }
        for (long k : new long[] {4096, 8192, 16384, 32768, 65536}) {
            lefts.add(Math.max(0, needed - k));
        }
        List<String> seen = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        for (long left : lefts) {
            wipe();
            Target opened = target.open();
            CliRun ferry = opened.cli();
            try {
                setUp.run(ferry);
                leave(left);
                long started = System.nanoTime();
                CliRun.Result r = attempt.run(ferry);
                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                String at = what + " with " + (left >> 10) + " KiB free of " + (needed >> 10) + " needed: " + r;
                assertThat(seconds).as(at).isLessThan(30);
                assertThat(r.exit()).as(at).isIn(0, 7);
                outcomes.add((left >> 10) + "K:" + r.exit());
                if (r.exit() == 7) {
                    assertThat(r.err()).as(at).contains("disk full").contains("nothing was committed")
                            .doesNotContain("\tat ");
                    seen.add(r.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(""));
                }
                Files.delete(mount.resolve("filler"));
                // the server is healthy: its next commands work, the failed run has ended, nothing is damaged
                CliRun.Result runs = ferry.run("runs", "list", "-o", "json");
                assertThat(runs.exit()).as(at + "\n" + runs).isZero();
                for (JsonNode run : runs.json()) {
                    assertThat(run.get("state").asText()).as(at).isIn("completed", "failed", "delegated");
                }
                CliRun.Result again = attempt.run(ferry);
                assertThat(again.exit()).as(at + "\nagain: " + again).isZero();
                CliRun.Result fsck = ferry.run("fsck");
                assertThat(fsck.exit()).as(at + "\n" + fsck).isZero();
            } finally {
                opened.stop().close();
            }
        }
        // the sweep reached more than one write site
        assertThat(seen.stream().map(l -> l.replaceAll("[0-9A-Za-z]{27}", "ID")).distinct().count()).as(seen.toString())
                .as(outcomes + " " + seen).isGreaterThan(1);
    }

    @Test
    void aFullDiskAtAnyPointOfAnUploadEndsWithExit7AndHarmsNothing() throws Exception {
        Path src = TestFiles.tree(tmp.resolve("upload-src"), 120, 4);
        sweep("bundle upload", DiskFullCliTest::local, f -> f.run("repo", "create", "--repo", "demo", "--description", "x"),
                f -> f.run("bundle", "upload", "--path", src.toString(), "--repo", "demo", "--message", "m"));
    }

    @Test
    void aFullDiskAtAnyPointOfAPushEndsWithExit7AndHarmsNothing() throws Exception {
        List<String> csv = new ArrayList<>(List.of("filename,label"));
        for (int i = 0; i < 40; i++) {
            csv.add("p" + i + ".jpg," + (i % 2 == 0 ? "cat" : "dog"));
        }
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("push-src")).csv(csv.toArray(String[]::new)).images("p", 40, 160, 160);
        sweep("dataset push", DiskFullCliTest::local, f -> f.run("repo", "list"),
                f -> f.run("dataset", "push", d.dir().toString(), "--table", "pets", "--category", "image_classification",
                        "--intent", "train", "--label-column", "label"));
    }

    @Test
    void aFullDiskOnARemoteServerDuringAPushEndsWithExit7AndHarmsNothing() throws Exception {
        List<String> csv = new ArrayList<>(List.of("filename,label"));
        for (int i = 0; i < 30; i++) {
            csv.add("r" + i + ".jpg," + (i % 2 == 0 ? "cat" : "dog"));
        }
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("remote-src")).csv(csv.toArray(String[]::new)).images("r", 30, 160, 160);
        sweep("remote dataset push", DiskFullCliTest::remote, f -> f.run("repo", "list"),
                f -> f.run("dataset", "push", d.dir().toString(), "--table", "pets", "--category", "image_classification",
                        "--intent", "train", "--label-column", "label"));
    }
}
