package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.core.home.FerryHome;
import dev.ferry.core.home.ServerInfo;
import dev.ferry.core.home.StoreLock;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry dataset push} in a real terminal: the CLI is its own process (the jar's entry point)
 * on a pseudo-terminal made by util-linux {@code script}, relaying to a real background server. The
 * terminal draws the progress bars, and Ctrl-C is the byte the terminal turns into SIGINT.
 */
class TerminalTest {
    private static final Pattern RUN_ID = Pattern.compile("ferry runs watch (\\S+)");

    @TempDir
    Path tmp;
    Path home;
    CliRun ferry;

    @BeforeEach
    void startServer() {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/script"))).as("util-linux script makes the terminal").isTrue();
        home = tmp.resolve("home");
        ferry = new CliRun(home).withBackgroundServer().env("FERRY_SERVER_IDLE", "60");
        CliRun.Result started = ferry.run("repo", "list");
        assertThat(started.exit()).as(started.toString()).isZero();
        assertThat(new FerryHome(home).commandEndpoint()).exists();
    }

    @AfterEach
    void stopServer() {
        ServerInfo.read(new FerryHome(home).serverFile()).ifPresent(info ->
                ProcessHandle.of(info.pid()).ifPresent(ProcessHandle::destroyForcibly));
    }

    private Path pets(String name, int count) {
        return new DatasetBuilder(tmp.resolve(name)).csv(Stream.concat(Stream.of("filename,label"),
                IntStream.range(0, count).mapToObj(i -> "p" + i + ".jpg," + (i % 2 == 0 ? "cat" : "dog"))).toArray(String[]::new))
                .images("p", count, 32, 32).dir();
    }

    /** The CLI on a terminal of its own; what it drew, and (once it ended) its exit code. */
    private final class OnTerminal implements AutoCloseable {
        final Process process;
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final Thread reader;

        OnTerminal(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                    System.getProperty("java.class.path"), ThinClient.class.getName()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder("/usr/bin/script", "-qfec",
                    String.join(" ", command.stream().map(TerminalTest::quoted).toList()), "/dev/null");
            builder.environment().keySet().removeIf(k -> k.startsWith("FERRY_") || k.equals("NO_COLOR"));
            builder.environment().put("FERRY_HOME", home.toString());
            builder.environment().put("FERRY_COLUMNS", "120");
            builder.environment().put("TERM", "xterm");
            builder.redirectErrorStream(true);
            process = builder.start();
            reader = Thread.ofVirtual().start(() -> {
                try (InputStream in = process.getInputStream()) {
                    in.transferTo(new OutputStream() {
                        @Override
                        public void write(int b) {
                            synchronized (screen) {
                                screen.write(b);
                            }
                        }

                        @Override
                        public void write(byte[] b, int off, int len) {
                            synchronized (screen) {
                                screen.write(b, off, len);
                            }
                        }
                    });
                } catch (IOException ignored) {
                    // the terminal closed
                }
            });
        }

        String screen() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8);
            }
        }

        void waitFor(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!screen().contains(text)) {
                assertThat(System.nanoTime()).as("waiting for \"%s\"; the terminal shows:%n%s", text, screen()).isLessThan(deadline);
                assertThat(process.isAlive()).as("ended before \"%s\"; the terminal shows:%n%s", text, screen()).isTrue();
                Thread.sleep(50);
            }
        }

        /** Types Ctrl-C: the terminal sends SIGINT to the command. */
        void ctrlC() throws IOException {
            process.getOutputStream().write(3);
            process.getOutputStream().flush();
        }

        int exit() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("still running:%n%s", screen()).isTrue();
            reader.join(5_000);
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    @Test
    void aPushOnATerminalDrawsBarsForStagingAndIngestingThenTheSummary() throws Exception {
        Path dir = pets("pets", 40);
        try (OnTerminal push = new OnTerminal("dataset", "push", dir.toString(), "--table", "pets", "--category",
                "image_classification", "--intent", "train", "--label-column", "label")) {
            assertThat(push.exit()).as(push.screen()).isZero();
            String screen = push.screen();
            assertThat(screen).contains("Staging").contains("41 files").contains("Ingesting").contains("40/40 records")
                    .contains("\u2588") // the bars' blocks
                    .contains("40 total \u00b7 40 inserted")
                    .doesNotContain("Uploading"); // the local server reads the folder itself: nothing to upload first
        }
    }

    /** A tabular CSV whose checks (the rows engine's) take a second or two. */
    private Path largeTable(int records) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("big"));
        StringBuilder csv = new StringBuilder(records * 24).append("x,score,y\n");
        for (int i = 0; i < records; i++) {
            csv.append(i).append(',').append(i % 1000).append(".5,").append(i % 3 == 0 ? "cat" : "dog").append('\n');
        }
        Files.writeString(dir.resolve("labels.csv"), csv);
        return dir;
    }

    @Test
    void theChecksOfALargeTableDrawABarAndCtrlCDuringThemStartsNoRun() throws Exception {
        Path dir = largeTable(1_500_000);
        String[] push = {"dataset", "push", dir.toString(), "--table", "big", "--category", "tabular_classification",
                "--intent", "train", "--label-column", "y"};
        try (OnTerminal first = new OnTerminal(push)) {
            assertThat(first.exit()).as(first.screen()).isZero();
            assertThat(first.screen()).contains("Checking").contains("records").contains("1500000 total");
        }
        Files.setLastModifiedTime(dir.resolve("labels.csv"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        try (OnTerminal second = new OnTerminal(push)) {
            second.waitFor("Checking");
            second.ctrlC();
            assertThat(second.exit()).as(second.screen()).isEqualTo(130);
        }
        Thread.sleep(4_000); // long enough for checks that went on to end and start a run
        CliRun.Result runs = ferry.run("-o", "json", "runs", "list");
        assertThat(runs.json().size()).as("only the first push ran: " + runs).isEqualTo(1);
    }

    @Test
    void ctrlCDetachesWithExit130AndTheRunGoesOnToTheEnd() throws Exception {
        Path dir = pets("pets", 40);
        String runId;
        // gc's exclusive hold on the store keeps the run waiting in staging for as long as this test likes
        try (StoreLock.Held gc = StoreLock.of(new FerryHome(home).storeLockFile()).exclusive(Duration.ofSeconds(5));
                OnTerminal push = new OnTerminal("dataset", "push", dir.toString(), "--table", "pets", "--category",
                        "image_classification", "--intent", "train", "--label-column", "label")) {
            push.waitFor("staging");
            push.ctrlC();
            assertThat(push.exit()).as(push.screen()).isEqualTo(130);
            String screen = push.screen();
            assertThat(screen).contains("Detached from run").doesNotContain("Exception");
            Matcher id = RUN_ID.matcher(screen);
            assertThat(id.find()).as(screen).isTrue();
            runId = id.group(1);
            CliRun.Result shown = ferry.run("-o", "json", "runs", "show", runId);
            assertThat(shown.json().get("state").asText()).as(shown.toString()).isEqualTo("staging");
        }
        // the store is free again: the detached run goes on, and watching it shows its end
        CliRun.Result watched = ferry.run("runs", "watch", runId);
        assertThat(watched.exit()).as(watched.toString()).isZero();
        assertThat(watched.out()).contains("40 total \u00b7 40 inserted");
        assertThat(ferry.run("-o", "json", "runs", "show", runId).json().get("state").asText()).isEqualTo("completed");
    }

    /**
     * The same through a cluster context: the push checks, stages through the port-forward, submits,
     * and shows the run, which a Job works on; Ctrl-C detaches (exit 130) and the Job goes on to the end.
     */
    @Test
    void ctrlCOnAPushToAClusterDetachesWithExit130AndItsJobGoesOnToTheEnd() throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp.resolve("cluster"))) {
            CliRun user = ferry.env("KUBECONFIG", cluster.kubeconfig()).env("HOME", tmp.resolve("user").toString());
            cluster.install(user);
            CliRun.Result added = user.run("context", "add", "kube", "--kubernetes", "-n", "ml", "--kubeconfig",
                    cluster.kubeconfig());
            assertThat(added.exit()).as(added.toString()).isZero();
            cluster.holdTurn("pets"); // the run's worker waits mid-run for as long as this test likes
            Path dir = pets("pets", 40);
            String runId;
            try (OnTerminal push = new OnTerminal("dataset", "push", dir.toString(), "--table", "pets", "--category",
                    "image_classification", "--intent", "train", "--label-column", "label")) {
                push.waitFor("waiting for run");
                push.ctrlC();
                assertThat(push.exit()).as(push.screen() + cluster.podLogs()).isEqualTo(130);
                String screen = push.screen();
                assertThat(screen).contains("Detached from run").doesNotContain("Exception");
                Matcher id = RUN_ID.matcher(screen);
                assertThat(id.find()).as(screen).isTrue();
                runId = id.group(1);
            }
            assertThat(cluster.server.ferry().getRun(runId).terminal()).as("the run goes on").isFalse();
            cluster.releaseTurn("pets");
            CliRun.Result watched = user.run("runs", "watch", runId);
            assertThat(watched.exit()).as(watched + cluster.podLogs()).isZero();
            assertThat(watched.out()).contains("40 total \u00b7 40 inserted");
            assertThat(cluster.kubelet.started()).hasSize(1);
        }
    }
}
