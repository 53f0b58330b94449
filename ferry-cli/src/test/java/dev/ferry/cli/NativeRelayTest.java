package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.CommandFrames;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.testing.TestFiles;
import dev.ferry.server.CommandRunner;
import dev.ferry.server.CommandSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay in C (ferry-cli/src/native/ferry-relay.c), compiled here with the machine's C compiler as
 * the launcher compiles it, against a real server's command port: it prints exactly what the CLI
 * prints, and whenever the server does not take the command it becomes the fallback program with
 * nothing written first.
 */
class NativeRelayTest {
    /** The fallback the relay becomes: says it ran, with the arguments it got, and exits 42. */
    private static final List<String> FALLBACK = List.of("/bin/sh", "-c", "printf 'fallback:%s\\n' \"$*\"; exit 42", "sh");

    @TempDir
    static Path bin;
    static Path relay;

    @TempDir
    Path tmp;
    CliRun ferry;
    FerryHome home;

    @BeforeAll
    static void compile() throws Exception {
        Path source = Path.of("src/native/ferry-relay.c").toAbsolutePath();
        relay = bin.resolve("ferry-relay");
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-O2", "-Wall", "-Werror", "-o", relay.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException noCompiler) {
            Assumptions.abort("no C compiler here: the launcher then relays with the JVM (ThinClientTest)");
            return;
        }
        String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor()).as(output).isZero();
    }

    @BeforeEach
    void startServer() {
        home = new FerryHome(tmp.resolve("home"));
        ferry = CliRun.withDemoRepo(home);
    }

    @AfterEach
    void stopServer() {
        ferry.stopServers();
    }

    record Run(int exit, String out, String err) {}

    /** Runs the relay as the launcher does, for this test JVM's build (its classes directory). */
    private Run relay(Path cwd, Map<String, String> env, String... args) throws Exception {
        return relayFor(buildPath(), cwd, env, args);
    }

    private Run relayFor(Path build, Path cwd, Map<String, String> env, String... args) throws Exception {
        Process p = start(build, cwd, env, args);
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private Process start(Path build, Path cwd, Map<String, String> env, String... args) throws IOException {
        return relayProcess(build, cwd, env, args).start();
    }

    private ProcessBuilder relayProcess(Path build, Path cwd, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(relay.toString(), build.toString(), String.valueOf(FALLBACK.size())));
        command.addAll(FALLBACK);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        // as CliRun runs the CLI: no settings of this machine's (a terminal width would change help texts)
        pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_") || k.equals("COLUMNS") || k.equals("NO_COLOR"));
        pb.environment().put("FERRY_HOME", home.root().toString());
        pb.environment().put("FERRY_STDERR_TTY", "0");
        pb.environment().putAll(env);
        return pb;
    }

    /** Where this JVM's Ferry classes come from: what BuildId names, and the relay must name the same. */
    private static Path buildPath() throws Exception {
        return Path.of(dev.ferry.core.BuildId.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void relayedCommandsPrintExactlyWhatTheCliPrintsAndExitTheSame() throws Exception {
        for (String[] args : List.of(new String[] {"repo", "list"}, new String[] {"-o", "json", "repo", "get", "--repo", "demo"},
                new String[] {"repo", "get", "--repo", "nope"}, new String[] {"bundle", "list", "--repo", "demo"},
                new String[] {"version"}, new String[] {"bundle", "upload", "--help"}, new String[] {"no-such-command"})) {
            CliRun.Result direct = ferry.run(args);
            Run relayed = relay(tmp, Map.of(), args);
            assertThat(relayed.exit()).as(String.join(" ", args)).isEqualTo(direct.exit());
            assertThat(relayed.out()).as(String.join(" ", args)).isEqualTo(direct.out());
            assertThat(relayed.err()).as(String.join(" ", args)).isEqualTo(direct.err());
        }
        assertThat(relay(tmp, Map.of(), "repo", "get", "--repo", "nope").exit()).isEqualTo(2);
    }

    @Test
    void pathsAndARelativeFerryHomeAreTheClientsDirectorys() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        TestFiles.tree(work.resolve("data"), 20, 7);
        // FERRY_HOME as typed, relative and untidy: the relay finds the endpoint and tells the server where it is
        Map<String, String> env = Map.of("FERRY_HOME", "./../work/../home/.");
        Run uploaded = relay(work, env, "bundle", "upload", "--path", "data", "--repo", "demo", "--message", "m", "--label", "init");
        assertThat(uploaded.exit()).as(uploaded.toString()).isZero();
        assertThat(uploaded.out().strip()).matches("[0-9A-Za-z]{27}");
        Run downloaded = relay(work, env, "bundle", "download", "--repo", "demo", "--label", "init", "--destination", "out");
        assertThat(downloaded.exit()).as(downloaded.toString()).isZero();
        assertThat(downloaded.err()).contains("to out in");
        TestFiles.assertSameTree(work.resolve("data"), work.resolve("out"));
    }

    @Test
    void whatTheServerDoesNotTakeRunsAsTheFallbackWithNothingWrittenFirst() throws Exception {
        // commands for the CLI's own process: the server refuses them
        assertThat(relay(tmp, Map.of(), "server", "status")).isEqualTo(new Run(42, "fallback:server status\n", ""));
        assertThat(relay(tmp, Map.of(), "config", "list")).isEqualTo(new Run(42, "fallback:config list\n", ""));
        // another build: refused
        Path otherBuild = Files.writeString(tmp.resolve("other.jar"), "not this build");
        assertThat(relayFor(otherBuild, tmp, Map.of(), "repo", "list")).isEqualTo(new Run(42, "fallback:repo list\n", ""));
        // no server in that home
        assertThat(relay(tmp, Map.of("FERRY_HOME", tmp.resolve("elsewhere").toString()), "repo", "list"))
                .isEqualTo(new Run(42, "fallback:repo list\n", ""));
        // an endpoint left behind by a server that died: nothing listens on its port
        ferry.stopServers();
        Files.createDirectories(home.commandEndpoint().getParent());
        Files.writeString(home.commandEndpoint(), freePort() + "\ntoken\n");
        assertThat(relay(tmp, Map.of(), "repo", "list")).isEqualTo(new Run(42, "fallback:repo list\n", ""));
        Files.writeString(home.commandEndpoint(), "garbage\n");
        assertThat(relay(tmp, Map.of(), "repo", "list")).isEqualTo(new Run(42, "fallback:repo list\n", ""));
    }

    @Test
    void aReaderThatGoesAwayEndsTheRelayWith141() throws Exception {
        TestFiles.tree(tmp.resolve("many"), 1500, 3);
        assertThat(relay(tmp, Map.of(), "bundle", "upload", "--path", "many", "--repo", "demo", "--message", "m",
                "--label", "many").exit()).isZero();
        // more than a pipe holds (~150 KB of lines): the relay blocks on the full pipe until it is closed
        Process p = start(buildPath(), tmp, Map.of(), "bundle", "list", "files", "--repo", "demo", "--label", "many");
        p.getInputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(141);
        assertThat(err).isEmpty();
        assertThat(relay(tmp, Map.of(), "repo", "list").out()).contains("demo"); // the server keeps serving
    }

    @Test
    void anOutputThatCannotBeWrittenIsAnErrorNotAQuietExit() throws Exception {
        Process p = relayProcess(buildPath(), tmp, Map.of(), "repo", "list")
                .redirectOutput(new java.io.File("/dev/full")).start(); // every write: "No space left on device"
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(err).startsWith("error: cannot write the command's output to /dev/full: No space left on device");
    }

    @Test
    void ctrlCPrintsTheServersNoteExits130AndTheServerSeesTheClientGo() throws Exception {
        CountDownLatch noteSent = new CountDownLatch(1);
        CountDownLatch clientGone = new CountDownLatch(1);
        CommandRunner waits = (f, command, frames) -> {
            frames.onInterrupt("the run keeps going: ferry runs watch r1");
            noteSent.countDown();
            try {
                for (int i = 0; i < 600; i++) { // writes until the client has gone
                    frames.write(CommandFrames.STDERR, new byte[] {'.'}, 0, 1);
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException gone) {
                clientGone.countDown();
            }
            return 0;
        };
        try (CommandSocket socket = standIn(waits)) {
            Process p = start(buildPath(), tmp, Map.of("FERRY_HOME", tmp.resolve("stand-in").toString()), "runs", "watch", "r1");
            assertThat(noteSent.await(30, TimeUnit.SECONDS)).isTrue();
            p.getErrorStream().readNBytes(1); // the relay is copying output: its handler is in place
            new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(130);
            assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                    .endsWith("the run keeps going: ferry runs watch r1\n");
            assertThat(clientGone.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aServerThatStopsAnsweringMidCommandIsAnErrorWithExit4() throws Exception {
        CommandRunner breaks = (f, command, frames) -> {
            try {
                frames.write(CommandFrames.STDOUT, "partial\n".getBytes(StandardCharsets.UTF_8), 0, 8);
            } catch (IOException gone) {
                return 1;
            }
            throw new IllegalStateException("the server broke");
        };
        try (CommandSocket socket = standIn(breaks)) {
            Run run = relay(tmp, Map.of("FERRY_HOME", tmp.resolve("stand-in").toString()), "repo", "list");
            assertThat(run.exit()).isEqualTo(4);
            assertThat(run.out()).isEqualTo("partial\n");
            assertThat(run.err()).startsWith("error: the local Ferry server stopped answering in the middle of the command")
                    .contains("hint: see its log, " + tmp.resolve("stand-in") + "/logs/server.log");
        }
    }

    @Test
    void aPortThatNeverTakesTheCommandIsAnErrorAfterTheTimeoutWhileATakenCommandMayBeSilentForLonger() throws Exception {
        try (Squatter squatter = Squatter.on(new FerryHome(tmp.resolve("squatted")))) {
            long start = System.nanoTime();
            Run run = relay(tmp, Map.of("FERRY_HOME", squatter.home().root().toString(), "FERRY_RELAY_TIMEOUT_MS", "300"),
                    "repo", "list");
            assertThat(run.exit()).isEqualTo(4);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("error: the local Ferry server's port (" + squatter.port()
                    + ") did not take the command within 0.3 s").contains("hint: 'ferry server status' clears what a dead server left behind");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
        try (CommandSocket slow = standIn(Squatter.SILENT_FOR_A_SECOND)) {
            Run run = relay(tmp, Map.of("FERRY_HOME", tmp.resolve("stand-in").toString(), "FERRY_RELAY_TIMEOUT_MS", "200"),
                    "repo", "list");
            assertThat(run).isEqualTo(new Run(0, "", ""));
        }
    }

    /** A command port in this JVM for the home "stand-in", answering every command with {@code runner}. */
    private CommandSocket standIn(CommandRunner runner) throws IOException {
        Path endpoint = new FerryHome(tmp.resolve("stand-in")).commandEndpoint();
        return CommandSocket.open(endpoint, "stand-in-token", null, runner, line -> {});
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
