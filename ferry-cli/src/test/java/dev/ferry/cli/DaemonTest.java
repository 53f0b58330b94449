package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.home.ServerInfo;
import dev.ferry.core.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background server as users get it: started by the CLI as a real process, found, stopped, replaced. */
class DaemonTest {
    @TempDir
    Path tmp;
    Path home;
    CliRun ferry;

    @BeforeEach
    void setUp() {
        home = tmp.resolve("home");
        ferry = new CliRun(home).withBackgroundServer().env("FERRY_SERVER_IDLE", "60");
    }

    @AfterEach
    void stopServer() {
        ServerInfo.read(new FerryHome(home).serverFile()).ifPresent(info ->
                ProcessHandle.of(info.pid()).ifPresent(ProcessHandle::destroyForcibly));
    }

    private ServerInfo info() {
        return ServerInfo.read(new FerryHome(home).serverFile()).orElseThrow();
    }

    /** Runs the jar's entry point's first step: relay, starting the server first when the command needs it. */
    private java.util.Optional<CliRun.Result> entryPoint(String... args) {
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("FERRY_"));
        env.put("FERRY_HOME", home.toString());
        env.put("FERRY_SERVER_IDLE", "60");
        return CliRun.answered((out, err) -> ThinClient.relayStartingServer(args, env, tmp, out, err, false));
    }

    @Test
    void theEntryPointStartsAMissingServerForAStoreCommandAndRelaysToIt() throws Exception {
        // commands that do not need the store start nothing and run in their own process
        assertThat(entryPoint("version")).isEmpty();
        assertThat(entryPoint("repo", "list", "--help")).isEmpty();
        assertThat(entryPoint("ingest", "validate", "x.yaml")).isEmpty();
        assertThat(home.resolve("server.json")).doesNotExist();

        CliRun.Result created = entryPoint("repo", "create", "--repo", "demo").orElseThrow();
        assertThat(created.exit()).as(created.toString()).isZero();
        ServerInfo started = info();
        assertThat(started.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(new FerryHome(home).commandEndpoint()).exists();
        CliRun.Result listed = entryPoint("-o", "json", "repo", "list").orElseThrow();
        assertThat(listed.json().get(0).get("name").asText()).isEqualTo("demo");
        assertThat(info()).isEqualTo(started);

        // anything unusual (here: a server.json of a dead process) is left to the full CLI
        ProcessHandle.of(started.pid()).ifPresent(ProcessHandle::destroyForcibly);
        while (started.processAlive()) {
            Thread.sleep(20);
        }
        Files.deleteIfExists(new FerryHome(home).commandEndpoint());
        assertThat(entryPoint("repo", "list")).isEmpty();
        assertThat(ferry.run("repo", "list").out()).contains("demo");
        assertThat(info().pid()).isNotEqualTo(started.pid());
    }

    @Test
    void whatCertainlyNeedsTheServer() {
        for (String line : List.of("repo list", "-o json bundle upload --path p --repo r", "push ds --table t", "fsck", "gc",
                "dataset rows t", "ingest push ds", "runs watch ID", "label set --repo r --label l --bundle b")) {
            assertThat(ThinClient.needsServer(List.of(line.split(" ")))).as(line).isTrue();
        }
        for (String line : List.of("version", "repo", "dataset", "ingest validate ds", "ingest schema", "repo list --help",
                "push ds --dry-run", "help repo", "completion bash", "-o json", "bundle -h")) {
            assertThat(ThinClient.needsServer(List.of(line.split(" ")))).as(line).isFalse();
        }
    }

    @Test
    void theFirstCommandThatNeedsAServerStartsOneAndLaterCommandsReuseIt() throws Exception {
        assertThat(ferry.run("version").exit()).isZero();
        assertThat(home.resolve("server.json")).doesNotExist(); // version needs no server
        CliRun.Result created = ferry.run("repo", "create", "--repo", "demo");
        assertThat(created.exit()).as(created.toString()).isZero();
        ServerInfo first = info();
        assertThat(first.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(first.host()).isEqualTo("127.0.0.1");
        assertThat(Files.getPosixFilePermissions(home.resolve("server.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(ferry.run("repo", "list").out()).contains("demo");
        assertThat(info()).isEqualTo(first);
        JsonNode status = ferry.run("-o", "json", "server", "status").json();
        assertThat(status.get("running").asBoolean()).isTrue();
        assertThat(status.get("pid").asLong()).isEqualTo(first.pid());
        assertThat(ferry.run("server", "stop").exit()).isZero();
        assertThat(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(home.resolve("server.json")).doesNotExist();
        assertThat(ferry.run("-o", "json", "server", "status").json().get("running").asBoolean()).isFalse();
    }

    @Test
    void twoCommandsStartingAtOnceShareOneServer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<CliRun.Result> list = () -> ferry.run("repo", "list");
            List<Future<CliRun.Result>> both = pool.invokeAll(List.of(list, list));
            for (Future<CliRun.Result> f : both) {
                assertThat(f.get().exit()).as(f.get().toString()).isZero();
            }
        } finally {
            pool.shutdown();
        }
        long servers = ProcessHandle.allProcesses().filter(this::isOurServer).count();
        assertThat(servers).isEqualTo(1);
    }

    @Test
    void twoEntryPointsStartingAtOnceShareOneServer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<java.util.Optional<CliRun.Result>> list = () -> entryPoint("repo", "list");
            for (Future<java.util.Optional<CliRun.Result>> f : pool.invokeAll(List.of(list, list))) {
                assertThat(f.get()).as("relayed").isPresent();
                assertThat(f.get().get().exit()).as(f.get().get().toString()).isZero();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ProcessHandle.allProcesses().filter(this::isOurServer).count()).isEqualTo(1);
    }

    /** A background server process of this test's home (other tests may run their own). */
    private boolean isOurServer(ProcessHandle p) {
        try {
            String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"));
            String environ = Files.readString(Path.of("/proc/" + p.pid() + "/environ"));
            return cmdline.endsWith(BackgroundServer.class.getName() + "\0") && environ.contains("FERRY_HOME=" + home + "\0");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aStaleServerFileOfADeadProcessIsReplaced() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        new ServerInfo(dead.pid(), "127.0.0.1", 1, "old-token", "0.0.1", Instant.now(), "0.0.1+1.1")
                .write(new FerryHome(home).serverFile());
        CliRun.Result r = ferry.run("repo", "list");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(info().pid()).isNotEqualTo(dead.pid());
        assertThat(info().token()).isNotEqualTo("old-token");
    }

    @Test
    void aDeadServersCommandPortFileGoesWithItsServerFileNotANewServers() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        FerryHome ferryHome = new FerryHome(home);
        new ServerInfo(dead.pid(), "127.0.0.1", 1, "old-token", "0.0.1", Instant.now(), "0.0.1+1.1")
                .write(ferryHome.serverFile());
        // a new server writes its command port file before its server.json: that one must stay
        Files.createDirectories(ferryHome.commandEndpoint().getParent());
        Files.writeString(ferryHome.commandEndpoint(), "1\nnew-token\n");
        assertThat(ferry.run("server", "status").out()).startsWith("not running");
        assertThat(ferryHome.serverFile()).doesNotExist();
        assertThat(ferryHome.commandEndpoint()).exists();

        // the dead server's own, on a port another program now answers without a word (kill -9, port reused)
        new ServerInfo(dead.pid(), "127.0.0.1", 1, "old-token", "0.0.1", Instant.now(), "0.0.1+1.1")
                .write(ferryHome.serverFile());
        try (Squatter squatter = Squatter.on(ferryHome)) {
            Files.writeString(ferryHome.commandEndpoint(), squatter.port() + "\nold-token\n");
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            assertThat(ThinClient.relay(new String[] {"repo", "list"}, Map.of("FERRY_HOME", home.toString(),
                    "FERRY_RELAY_TIMEOUT_MS", "200"), home, java.io.OutputStream.nullOutputStream(), err, false)).hasValue(4);
            assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("'ferry server status' clears");
            // what the hint says: status clears both files, and the next command starts a server of its own
            assertThat(ferry.run("server", "status").out()).startsWith("not running");
            assertThat(ferryHome.serverFile()).doesNotExist();
            assertThat(ferryHome.commandEndpoint()).doesNotExist();
            CliRun.Result listed = ferry.run("repo", "list");
            assertThat(listed.exit()).as(listed.toString()).isZero();
            assertThat(Files.readAllLines(ferryHome.commandEndpoint()).get(1)).isEqualTo(info().token());
        }
    }

    @Test
    void theServerStopsByItselfWhenIdle() throws Exception {
        ferry.env("FERRY_SERVER_IDLE", "1s");
        assertThat(ferry.run("repo", "list").exit()).isZero();
        ServerInfo info = info();
        long deadline = System.currentTimeMillis() + 15_000;
        while (info.processAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(info.processAlive()).isFalse();
        assertThat(home.resolve("server.json")).doesNotExist();
        assertThat(Files.readString(home.resolve("logs/server.log"))).contains("idle for 1 s");
    }

    /**
     * A CLI that opens the store in its own process (FERRY_IN_PROCESS=1) while the server runs a
     * run must leave that run alone: it once settled it as "failed" under the server's feet.
     */
    @Test
    void aCliInItsOwnProcessLeavesTheServersLiveRunAlone() throws Exception {
        Path src = TestFiles.tree(tmp.resolve("data"), 50, 3);
        assertThat(ferry.run("repo", "create", "--repo", "demo").exit()).isZero();
        ServerInfo server = info();
        String runId;
        // gc's exclusive hold on the store keeps the run waiting in staging for as long as this test likes
        try (dev.ferry.core.home.StoreLock.Held gc = dev.ferry.core.home.StoreLock.of(new FerryHome(home).storeLockFile())
                .exclusive(java.time.Duration.ofSeconds(5));
                var client = new dev.ferry.client.HttpFerry(server.url(), server.token())) {
            runId = client.submit(new dev.ferry.core.run.RunSpec.Upload(src.toString(), "demo", "m", null), null).run().id();
            long deadline = System.currentTimeMillis() + 20_000;
            while (client.getRun(runId).state() != dev.ferry.core.run.RunState.STAGING
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            CliRun inProcess = new CliRun(home).env("FERRY_IN_PROCESS", "1");
            CliRun.Result listed = inProcess.run("-o", "json", "runs", "list");
            assertThat(listed.exit()).as(listed.toString()).isZero();
            assertThat(listed.json().get(0).get("state").asText()).isEqualTo("staging");
        }
        CliRun.Result watched = ferry.run("-o", "json", "runs", "watch", runId);
        assertThat(watched.exit()).as(watched.toString()).isZero();
        assertThat(ferry.run("-o", "json", "runs", "show", runId).json().get("state").asText()).isEqualTo("completed");
    }

    @Test
    void aBackgroundServerThatCannotOpenItsCatalogSaysWhyThroughTheCli() throws Exception {
        assertThat(ferry.run("repo", "create", "--repo", "demo").exit()).isZero();
        ProcessHandle.of(info().pid()).ifPresent(ProcessHandle::destroyForcibly);
        Thread.sleep(200);
        Path catalog = home.resolve("catalog.db");
        java.nio.file.Files.deleteIfExists(home.resolve("catalog.db-wal"));
        java.nio.file.Files.deleteIfExists(home.resolve("catalog.db-shm"));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(catalog.toFile(), "rw")) {
            f.write("not a database at all".getBytes());
        }
        CliRun.Result refused = ferry.run("repo", "list");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("error: the catalog " + catalog + " is damaged")
                .contains("run 'ferry catalog rebuild'").doesNotContain("stopped as it started").doesNotContain("\n");
        CliRun.Result rebuilt = ferry.run("catalog", "rebuild");
        assertThat(rebuilt.exit()).as(rebuilt.toString()).isZero();
        assertThat(ferry.run("repo", "list").out()).contains("demo");
    }

    @Test
    void aServerKilledMidRunFailsTheRunOnRestartAndAPushAgainSucceeds() throws Exception {
        Path src = TestFiles.tree(tmp.resolve("data"), 400, 3);
        TestFiles.writeRandom(src.resolve("big.bin"), 9, 300L << 20);
        assertThat(ferry.run("repo", "create", "--repo", "demo").exit()).isZero();
        // a run that takes a while: a detached push would need a dataset; an upload run is submitted the same way
        ServerInfo server = info();
        var client = new dev.ferry.client.HttpFerry(server.url(), server.token());
        var run = client.submit(new dev.ferry.core.run.RunSpec.Upload(src.toString(), "demo", "m", null), null).run();
        long deadline = System.currentTimeMillis() + 20_000;
        while (client.getRun(run.id()).state() != dev.ferry.core.run.RunState.STAGING
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        ProcessHandle.of(server.pid()).orElseThrow().destroyForcibly();
        while (server.processAlive()) {
            Thread.sleep(20);
        }
        client.close();
        JsonNode shown = ferry.run("-o", "json", "runs", "show", run.id()).json();
        assertThat(shown.get("state").asText()).isEqualTo("failed");
        assertThat(shown.at("/failure/message").asText()).contains("server stopped while the run was staging");
        assertThat(ferry.run("-o", "json", "bundle", "list", "--repo", "demo").json()).isEmpty();
        assertThat(ferry.run("fsck").exit()).isZero();
        CliRun.Result again = ferry.run("bundle", "upload", "--path", src.toString(), "--repo", "demo", "--message", "m");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(ferry.run("-o", "json", "bundle", "list", "--repo", "demo").json()).hasSize(1);
    }
}
