package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.api.CommandFrames;
import dev.ferry.core.api.Wire;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.testing.TestFiles;
import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin client: with the home's server running, a command is handed to it whole and prints what
 * the CLI would print itself; whatever cannot be relayed runs in the client's own process, with
 * nothing written first.
 */
class ThinClientTest {
    @TempDir
    Path tmp;
    CliRun ferry;
    FerryHome home;

    @BeforeEach
    void startServer() {
        home = new FerryHome(tmp.resolve("home"));
        ferry = CliRun.withDemoRepo(home);
        assertThat(home.commandEndpoint()).exists();
    }

    @AfterEach
    void stopServer() {
        ferry.stopServers();
    }

    private CliRun.Result relayed(Path cwd, String... args) {
        return ferry.relay(cwd, args).orElseThrow(() -> new AssertionError("not relayed: " + String.join(" ", args)));
    }

    @Test
    void relayedCommandsPrintExactlyWhatTheCliPrintsAndExitTheSame() {
        for (String[] args : List.of(new String[] {"repo", "list"}, new String[] {"-o", "json", "repo", "get", "--repo", "demo"},
                new String[] {"repo", "get", "--repo", "nope"}, new String[] {"-o", "json", "repo", "get", "--repo", "nope"},
                new String[] {"bundle", "list", "--repo", "demo"}, new String[] {"version"}, new String[] {"--help"},
                new String[] {"bundle", "upload", "--help"}, new String[] {"repo", "create"}, new String[] {"no-such-command"})) {
            CliRun.Result direct = ferry.run(args);
            CliRun.Result relayed = relayed(tmp, args);
            assertThat(relayed.exit()).as(String.join(" ", args)).isEqualTo(direct.exit());
            assertThat(relayed.out()).as(String.join(" ", args)).isEqualTo(direct.out());
            assertThat(relayed.err()).as(String.join(" ", args)).isEqualTo(direct.err());
        }
        assertThat(relayed(tmp, "repo", "get", "--repo", "nope").exit()).isEqualTo(2);
    }

    @Test
    void relativePathsAreTheClientsAndMessagesShowThemAsTyped() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("work"));
        TestFiles.tree(work.resolve("data"), 20, 7);
        CliRun.Result uploaded = relayed(work, "bundle", "upload", "--path", "data", "--repo", "demo", "--message", "m",
                "--label", "init");
        assertThat(uploaded.exit()).as(uploaded.toString()).isZero();
        CliRun.Result downloaded = relayed(work, "bundle", "download", "--repo", "demo", "--label", "init", "--destination", "out");
        assertThat(downloaded.exit()).as(downloaded.toString()).isZero();
        assertThat(downloaded.err()).contains("to out in");
        TestFiles.assertSameTree(work.resolve("data"), work.resolve("out"));

        CliRun.Result missing = relayed(work, "ingest", "validate", "nope.yaml");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).startsWith("error: path does not exist: nope.yaml");
        Files.writeString(work.resolve("ingest.yaml"), "apiVersion: ferry.dev/v1\nkind: IngestConfig\n"
                + "category: image_classification\ntable: pets\nintent: train\ncsv: labels.csv\nimages: images\nlabel: label\n");
        CliRun.Result valid = relayed(work, "ingest", "validate", "ingest.yaml");
        assertThat(valid.exit()).as(valid.toString()).isZero();
        assertThat(valid.out()).isEqualTo("ingest.yaml: ok (the config on its own; name the dataset folder to check its data too)\n");
    }

    @Test
    void whatCannotBeRelayedRunsInTheClientsOwnProcessWithNothingWrittenFirst() {
        assertThat(ferry.relay(tmp, "config", "list")).isEmpty(); // settings and the server itself: the client's own process
        assertThat(ferry.relay(tmp, "server", "status")).isEmpty();
        assertThat(ferry.relay(tmp, "-o", "json", "serve")).isEmpty();
        assertThat(new CliRun(home.root()).env("FERRY_RELAY", "0").relay(tmp, "repo", "list")).isEmpty();
        assertThat(new CliRun(home.root()).env("FERRY_IN_PROCESS", "1").relay(tmp, "repo", "list")).isEmpty();
        assertThat(new CliRun(tmp.resolve("other-home")).relay(tmp, "repo", "list")).isEmpty(); // no server there
    }

    /**
     * A command for a remote server is relayed too: the local server, warm, is the client that talks to
     * the remote one (data travels as it would from the CLI's own process: paths never do), and it
     * prints and exits exactly as the CLI's own process would.
     */
    @Test
    void commandsForARemoteServerAreRunByTheLocalServerAsItsClient() throws IOException {
        String token = dev.ferry.server.FerryServer.newToken();
        dev.ferry.core.api.LocalFerry remoteStore = dev.ferry.core.api.LocalFerry.open(new FerryHome(tmp.resolve("remote-home")));
        remoteStore.startRunsAsServer();
        try (dev.ferry.server.FerryServer remote = new dev.ferry.server.FerryServer(remoteStore, token, false)) {
            String url = "http://127.0.0.1:" + remote.start("127.0.0.1", 0);
            CliRun viaEnv = new CliRun(home.root()).env("FERRY_SERVER", url).env("FERRY_TOKEN", token);
            Path work = Files.createDirectories(tmp.resolve("work"));
            TestFiles.tree(work.resolve("data"), 30, 11);
            CliRun.Result created = new CliRun(home.root()).env("FERRY_TOKEN", token)
                    .relay(work, "--server", url, "repo", "create", "--repo", "far", "--description", "x")
                    .orElseThrow(() -> new AssertionError("--server: not relayed"));
            assertThat(created.exit()).as(created.toString()).isZero();
            CliRun.Result uploaded = viaEnv.relay(work, "bundle", "upload", "--path", "data", "--repo", "far", "--message", "m")
                    .orElseThrow(() -> new AssertionError("FERRY_SERVER: not relayed"));
            assertThat(uploaded.exit()).as(uploaded.toString()).isZero();
            assertThat(remoteStore.listBundles("far")).hasSize(1);
            assertThat(ferry.run("repo", "list").out()).as("the local store is not touched").doesNotContain("far");
            CliRun.Result again = viaEnv.relay(work, "bundle", "upload", "--path", "data", "--repo", "far", "--message", "m")
                    .orElseThrow();
            assertThat(again.err()).contains("No new bundle");
            CliRun.Result downloaded = viaEnv.relay(work, "bundle", "download", "--repo", "far", "--label", "latest",
                    "--destination", "out").orElseThrow();
            assertThat(downloaded.exit()).as(downloaded.toString()).isZero();
            TestFiles.assertSameTree(work.resolve("data"), work.resolve("out"));
            for (String[] args : List.of(new String[] {"repo", "list"}, new String[] {"-o", "json", "bundle", "list", "--repo", "far"},
                    new String[] {"repo", "get", "--repo", "nope"})) {
                CliRun.Result direct = viaEnv.run(args);
                CliRun.Result relayed = viaEnv.relay(tmp, args).orElseThrow();
                assertThat(relayed.exit()).as(String.join(" ", args)).isEqualTo(direct.exit());
                assertThat(relayed.out()).as(String.join(" ", args)).isEqualTo(direct.out());
                assertThat(relayed.err()).as(String.join(" ", args)).isEqualTo(direct.err());
            }
            // a wrong token is the remote server's refusal, relayed as it is
            CliRun.Result refused = new CliRun(home.root()).env("FERRY_SERVER", url).env("FERRY_TOKEN", "wrong")
                    .relay(tmp, "repo", "list").orElseThrow();
            assertThat(refused.exit()).isEqualTo(5);
        } finally {
            remoteStore.close();
        }
    }

    @Test
    void theServerRefusesAnotherBuildAWrongTokenAndGarbageAndKeepsServing() throws Exception {
        List<String> endpoint = Files.readAllLines(home.commandEndpoint());
        String token = endpoint.get(1);
        Wire.Command command = new Wire.Command(List.of("repo", "list"), tmp.toString(), Map.of("FERRY_HOME",
                home.root().toString()), false, 0, "jar.1.1");
        assertThatThrownBy(() -> exchange(endpoint, out -> CommandFrames.writeRequest(out, token, command)))
                .isInstanceOf(CommandFrames.Refused.class).hasMessageContaining("build");
        Wire.Command thisBuild = new Wire.Command(command.args(), command.cwd(), command.env(), false, 0,
                dev.ferry.core.BuildId.current());
        // refused as soon as the token is read: the client may still be writing, and see the reset instead
        assertThatThrownBy(() -> exchange(endpoint, out -> CommandFrames.writeRequest(out, "guess", thisBuild)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> exchange(endpoint, out -> out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(CommandFrames.Refused.class).hasMessageContaining("malformed");
        Wire.Command relative = new Wire.Command(command.args(), "relative/dir", command.env(), false, 0,
                dev.ferry.core.BuildId.current());
        assertThatThrownBy(() -> exchange(endpoint, out -> CommandFrames.writeRequest(out, token, relative)))
                .isInstanceOf(CommandFrames.Refused.class).hasMessageContaining("absolute");
        Wire.Command ownProcess = new Wire.Command(List.of("config", "list"), command.cwd(), command.env(), false, 0,
                dev.ferry.core.BuildId.current());
        assertThatThrownBy(() -> exchange(endpoint, out -> CommandFrames.writeRequest(out, token, ownProcess)))
                .isInstanceOf(CommandFrames.Refused.class).hasMessageContaining("own process");
        assertThat(exchange(endpoint, out -> CommandFrames.writeRequest(out, token, thisBuild))).isZero();
        assertThat(relayed(tmp, "repo", "list").out()).contains("demo");
    }

    @Test
    void aPushWhoseClientGoesAwayAfterSubmittingKeepsRunningToTheEnd() throws Exception {
        Path dir = new DatasetBuilder(tmp.resolve("pets")).csv(java.util.stream.Stream.concat(
                java.util.stream.Stream.of("filename,label"), java.util.stream.IntStream.range(0, 120)
                        .mapToObj(i -> "p" + i + ".jpg," + (i % 2 == 0 ? "cat" : "dog"))).toArray(String[]::new))
                .images("p", 120, 64, 64).dir();
        List<String> endpoint = Files.readAllLines(home.commandEndpoint());
        Wire.Command push = new Wire.Command(List.of("dataset", "push", dir.toString(), "--table", "pets", "--category",
                "image_classification", "--intent", "train", "--label-column", "label"), tmp.toString(),
                Map.of("FERRY_HOME", home.root().toString()), false, 0, dev.ferry.core.BuildId.current());
        StringBuilder note = new StringBuilder();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(endpoint.get(0)))) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            CommandFrames.writeRequest(out, endpoint.get(1), push);
            out.flush();
            // read until the server says what Ctrl-C would mean (the run is submitted), then go away
            assertThatThrownBy(() -> CommandFrames.read(new BufferedInputStream(socket.getInputStream()),
                    new CommandFrames.Reader() {
                        @Override
                        public void onInterrupt(String text) {
                            if (!text.isEmpty()) {
                                note.append(text);
                                throw new ClientGone();
                            }
                        }
                    })).isInstanceOf(ClientGone.class);
        }
        assertThat(note).contains("ferry runs watch");
        String runId = note.toString().replaceAll("(?s).*ferry runs watch (\\S+).*", "$1");
        CliRun.Result watched = relayed(tmp, "runs", "watch", runId);
        assertThat(watched.exit()).as(watched.toString()).isZero();
        assertThat(watched.out()).contains("records   120 total · 120 inserted · 0 skipped · 0 failed");
        assertThat(relayed(tmp, "-o", "json", "runs", "show", runId).json().get("state").asText()).isEqualTo("completed");
        assertThat(relayed(tmp, "dataset", "rows", "pets").outLines()).hasSize(121);
    }

    private static final class ClientGone extends RuntimeException {}

    /** Where a reader such as {@code head} has gone: every write fails, as on a closed pipe. */
    private static final java.io.OutputStream CLOSED_PIPE = new java.io.OutputStream() {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
        }
    };

    @Test
    void aReaderThatGoesAwayEndsTheCommandWith141NotWithABogusServerError() {
        // relayed: the server did nothing wrong, so nothing is said and the exit is a pipe writer's
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.util.OptionalInt relayed = ThinClient.relay(new String[] {"repo", "list"}, Map.of("FERRY_HOME",
                home.root().toString()), tmp, CLOSED_PIPE, err, false);
        assertThat(relayed).hasValue(141);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(relayed(tmp, "repo", "list").out()).contains("demo"); // the server keeps serving
        // in the CLI's own process: its PrintWriter swallows the error, the exit code says it
        java.io.PrintWriter closed = new java.io.PrintWriter(new java.io.PrintStream(CLOSED_PIPE), true);
        java.io.StringWriter errors = new java.io.StringWriter();
        assertThat(Ferry.run(Map.of("FERRY_HOME", home.root().toString(), "FERRY_IN_PROCESS", "1"), closed,
                new java.io.PrintWriter(errors), "version")).isEqualTo(141);
        assertThat(errors.toString()).isEmpty();
    }

    @Test
    void aFailedWriteToAFileIsAnErrorNotAClosedPipe() {
        java.io.OutputStream fullDisk = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        // relayed, stdout redirected to a file on a full disk: said, exit 3, and the server keeps serving
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.util.OptionalInt relayed = ThinClient.relay(new String[] {"repo", "list"}, Map.of("FERRY_HOME",
                home.root().toString()), tmp, fullDisk, err, false, fd -> new OutputTarget("/data/out.txt"));
        assertThat(relayed).hasValue(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: cannot write the command's output to "
                + "/data/out.txt: No space left on device\n  hint: check where the output goes (free space, permissions)"
                + " and run the command again\n");
        assertThat(relayed(tmp, "repo", "list").out()).contains("demo");
        // the same stream behind a pipe is a reader that went away
        assertThat(ThinClient.relay(new String[] {"repo", "list"}, Map.of("FERRY_HOME", home.root().toString()), tmp,
                fullDisk, new java.io.ByteArrayOutputStream(), false, fd -> new OutputTarget("pipe:[1234]"))).hasValue(141);
        // in the CLI's own process: the PrintWriter keeps the reason, the line names the file
        java.io.PrintWriter out = new java.io.PrintWriter(new java.io.PrintStream(fullDisk), true);
        out.println("repo demo");
        java.io.ByteArrayOutputStream inProcessErr = new java.io.ByteArrayOutputStream();
        assertThat(Ferry.exitCode(0, out, new OutputTarget("/dev/full"), inProcessErr)).isEqualTo(3);
        assertThat(inProcessErr.toString(StandardCharsets.UTF_8)).startsWith("error: cannot write the command's output to /dev/full\n");
        assertThat(Ferry.exitCode(6, out, new OutputTarget("/dev/full"), inProcessErr)).isEqualTo(6); // a failure says so itself
    }

    @Test
    void aPortThatNeverTakesTheCommandIsAnErrorAfterTheTimeoutWhileATakenCommandMayBeSilentForLonger() throws Exception {
        try (Squatter squatter = Squatter.on(new FerryHome(tmp.resolve("squatted")))) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            long start = System.nanoTime();
            java.util.OptionalInt relayed = ThinClient.relay(new String[] {"repo", "list"}, Map.of("FERRY_HOME",
                    squatter.home().root().toString(), "FERRY_RELAY_TIMEOUT_MS", "300"), tmp, out, err, false);
            assertThat(relayed).hasValue(4);
            assertThat(out.size()).isZero();
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: the local Ferry server's port ("
                    + squatter.port() + ") did not take the command within 0.3 s").contains("hint: 'ferry server status' clears what a dead server left behind");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(8));
        }
        Path standIn = new FerryHome(tmp.resolve("stand-in")).commandEndpoint();
        try (dev.ferry.server.CommandSocket slow = dev.ferry.server.CommandSocket.open(standIn, "t", null,
                Squatter.SILENT_FOR_A_SECOND, line -> {})) {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            assertThat(ThinClient.relay(new String[] {"repo", "list"}, Map.of("FERRY_HOME", tmp.resolve("stand-in").toString(),
                    "FERRY_RELAY_TIMEOUT_MS", "200"), tmp, new java.io.ByteArrayOutputStream(), err, false)).hasValue(0);
            assertThat(err.size()).isZero();
        }
    }

    @Test
    void onlyPipesAndSocketsHaveReadersThatGoAway() {
        assertThat(new OutputTarget("pipe:[4026]").readerCanGoAway()).isTrue();
        assertThat(new OutputTarget("socket:[77]").readerCanGoAway()).isTrue();
        assertThat(new OutputTarget("").readerCanGoAway()).isTrue(); // the system did not say: as before
        assertThat(new OutputTarget("/dev/full").readerCanGoAway()).isFalse();
        assertThat(new OutputTarget("/home/me/out.json").readerCanGoAway()).isFalse();
        // this JVM's own descriptors are named (Linux): whatever surefire made of them
        assertThat(OutputTarget.of(OutputTarget.STDOUT).name()).isNotEmpty();
    }

    @Test
    void theEndpointIsTheOwnersOnlyAndGoesWithTheServer() throws IOException {
        assertThat(Files.getPosixFilePermissions(home.commandEndpoint())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(home.commandEndpoint().getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        ferry.stopServers();
        assertThat(home.commandEndpoint()).doesNotExist();
        assertThat(ferry.relay(tmp, "repo", "list")).isEmpty();
    }

    private interface RequestWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static int exchange(List<String> endpoint, RequestWriter request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(endpoint.get(0)))) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            request.write(out);
            out.flush();
            return CommandFrames.read(new BufferedInputStream(socket.getInputStream()), new CommandFrames.Reader() {});
        }
    }

}
