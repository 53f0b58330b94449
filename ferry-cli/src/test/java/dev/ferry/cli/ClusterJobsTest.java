package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.k8s.KubeletStandIn;
import dev.ferry.k8s.KubernetesRunExecutor;
import dev.ferry.k8s.MockCluster;
import dev.ferry.server.FerryServer;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.ferry.core.jdbc.JdbcDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs as Kubernetes Jobs: a real server whose executor makes a Job per run (fabric8's mock API), a
 * kubelet stand-in that runs each Job's container as a real `ferry worker` process with the Job's
 * environment, and the CLI pushing and watching as it would on one machine.
 */
class ClusterJobsTest {
    static final String SERVICE_URL = "http://ferry-server.ml.svc:7433";
    @TempDir
    Path tmp;
    MockCluster cluster;
    KubernetesClient kube;
    FerryServer server;
    KubeletStandIn kubelet;
    String admin = FerryServer.newToken();
    String url;

    Path home;
    String image;

    void start(String image) throws Exception {
        cluster = MockCluster.start(tmp.resolve("kube"));
        kube = cluster.client();
        kube.secrets().inNamespace("ml").resource(new SecretBuilder().withNewMetadata().withName("ferry-admin").withNamespace("ml")
                .endMetadata().addToStringData("token", admin).build()).create();
        home = tmp.resolve("server-home");
        this.image = image;
        url = "http://127.0.0.1:" + startServer(0);
        String java = ProcessHandle.current().info().command().orElse("java");
        kubelet = new KubeletStandIn(kube, "ml", List.of(java, "-cp", System.getProperty("java.class.path"), "dev.ferry.cli.Ferry"),
                Map.of(SERVICE_URL, url, "/var/lib/ferry", home.toString()), tmp.resolve("pod-logs"));
        kubelet.serveLogsOn(cluster);
    }

    /** The cluster's server (its Deployment's pod) on {@code port}, 0 for any; returns the port. */
    int startServer(int port) {
        List<EnvVar> env = List.of(new EnvVar("FERRY_SERVER", SERVICE_URL, null),
                new EnvVarBuilder().withName("FERRY_TOKEN").withNewValueFrom().withNewSecretKeyRef("token", "ferry-admin", false)
                        .endValueFrom().build(),
                new EnvVar("FERRY_HOME", "/var/lib/ferry", null));
        LocalFerry store = LocalFerry.open(new FerryHome(home));
        store.runOn(new KubernetesRunExecutor(kube, "ml", new KubernetesRunExecutor.JobTemplate(image, env, List.of(), List.of(),
                Map.of(), 600), Duration.ofMillis(100)));
        store.startRunsAsServer();
        server = new FerryServer(store, admin, false);
        return server.start("127.0.0.1", port);
    }

    void stopServer() {
        server.close();
        server.ferry().close();
        server = null;
    }

    @AfterEach
    void stop() {
        if (kubelet != null) kubelet.close();
        if (server != null) {
            stopServer();
        }
        if (kube != null) kube.close();
        if (cluster != null) cluster.close();
    }

    /** Every pod's output, for a failure's message. */
    private String logs() throws Exception {
        StringBuilder out = new StringBuilder();
        for (String job : kubelet.started()) {
            out.append("--- pod of ").append(job).append('\n').append(kubelet.log(job));
        }
        return out.toString();
    }

    private CliRun.Result push(Path dir, String table) {
        return new CliRun(tmp.resolve("client")).env("FERRY_SERVER", url).env("FERRY_TOKEN", admin)
                .run("dataset", "push", dir.toString(), "--table", table, "--category", "image_classification",
                        "--intent", "train", "--label-column", "label");
    }

    @Test
    void aPushRunsAsAJobWhoseWorkerReportsEveryStepThroughTheServer() throws Exception {
        start("registry.example/ferry:1");
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog", "p2.jpg,cat")
                .images("p", 3, 48, 48);
        CliRun.Result pushed = push(d.dir(), "pets");
        assertThat(pushed.exit()).as(pushed + "\n" + logs()).isZero();
        assertThat(pushed.out()).contains("records   3 total · 3 inserted");
        assertThat(server.ferry().getIngestion("pets", null).rowCount()).isEqualTo(3);

        Job job = kube.batch().v1().jobs().inNamespace("ml").list().getItems().getFirst();
        String runId = job.getMetadata().getLabels().get(KubernetesRunExecutor.RUN_LABEL);
        assertThat(job.getMetadata().getLabels()).containsEntry(KubernetesRunExecutor.TABLE_LABEL, "pets");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs())
                .containsExactly("worker", "--run", runId);
        assertThat(kubelet.log(job.getMetadata().getName())).contains("run " + runId + " done");
        // the same events as on one machine: states, the table, progress, the end
        List<String> types = server.ferry().runEvents(runId, 0).stream().map(e -> e.event().type()).toList();
        assertThat(types).contains("received", "state", "planned", "progress", "completed");
        assertThat(server.ferry().runEvents(runId, 0)).extracting(e -> e.event()).filteredOn(
                dev.ferry.core.run.RunEvent.Progress.class::isInstance).allSatisfy(e -> {
                    var p = (dev.ferry.core.run.RunEvent.Progress) e;
                    assertThat(p.filesDone()).as(p.toString()).isLessThanOrEqualTo(p.filesTotal());
                });
        assertThat(server.ferry().getRun(runId).state().id()).isEqualTo("completed");
        CliRun.Result followed = new CliRun(tmp.resolve("client")).env("FERRY_SERVER", url).env("FERRY_TOKEN", admin)
                .run("runs", "logs", runId, "--follow", "--events");
        assertThat(followed.exit()).isZero();
        assertThat(followed.out()).contains("received push", "planned pets", "completed");
    }

    @Test
    void aRunsLogIsItsPodsOwnOutputWhileItsJobIsKeptAndItsEventsOtherwise() throws Exception {
        start("registry.example/ferry:1");
        CliRun client = client();
        String runId = pushDetached(client, 2);

        CliRun.Result followed = client.run("runs", "logs", runId, "--follow");
        assertThat(followed.exit()).as(followed + "\n" + logs()).isZero();
        // the worker's own lines, as 'kubectl logs' shows them: its version, each step, its end
        assertThat(followed.out()).contains("ferry worker", "run " + runId + ", reporting to " + url, // the stand-in's rewrite
                "waiting for the turn on pets", "executing: ingesting the records of pets", "done");
        assertThat(server.ferry().getRun(runId).state().id()).isEqualTo("completed");
        // the whole log, as it was followed (less the line that said the pod was yet to start)
        assertThat(client.run("runs", "logs", runId, "--worker").out()).isEqualTo(
                followed.out().lines().filter(l -> !l.startsWith("[ferry] waiting for the pod")).map(l -> l + "\n")
                        .collect(java.util.stream.Collectors.joining()));
        CliRun.Result events = client.run("runs", "logs", runId, "--events");
        assertThat(events.out()).contains("received push", "planned pets", "completed").doesNotContain("ferry worker");
        assertThat(client.run("-o", "json", "runs", "logs", runId, "--worker").exit()).as("text, not JSON").isEqualTo(2);

        // an hour after it ended its Job goes (its TTL), and with it the pod's log: the events remain
        kube.batch().v1().jobs().inNamespace("ml").withName(KubernetesRunExecutor.jobName(runId)).delete();
        kube.pods().inNamespace("ml").withName(KubeletStandIn.podName(KubernetesRunExecutor.jobName(runId))).delete();
        assertThat(client.run("runs", "logs", runId).out()).contains("received push", "completed");
        CliRun.Result gone = client.run("runs", "logs", runId, "--worker");
        assertThat(gone.exit()).isEqualTo(2);
        assertThat(gone.err()).contains("has no worker log of its own: its Job is gone", "--events");
    }

    @Test
    void aServerThatStopsMidRunLeavesItsJobRunningAndTheNextServerTakesTheRunUp() throws Exception {
        start("registry.example/ferry:1");
        // another server's run has the table's turn (as it would in the shared catalog): this run's
        // worker starts, plans, and waits for the turn — mid-run, on the server's request
        try (JdbcDatabase catalog = JdbcDatabase.sqlite(new FerryHome(home).catalogFile())) {
            assertThat(catalog.runLog().claim("table:pets", "run-of-another-server", Instant.now(), Instant.now().plusSeconds(3600)))
                    .isEmpty();
        }
        CliRun client = client();
        String runId = pushDetached(client, 3);
        String job = KubernetesRunExecutor.jobName(runId);
        awaitLog(job, "waiting for the turn on pets");

        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        stopServer(); // its pod restarts, say
        Thread.sleep(500); // the worker finds it gone
        assertThat(kube.batch().v1().jobs().inNamespace("ml").withName(job).get()).as("the Job goes on").isNotNull();
        startServer(port);
        assertThat(server.ferry().getRun(runId).terminal()).as("taken up, not settled").isFalse();

        try (JdbcDatabase catalog = JdbcDatabase.sqlite(new FerryHome(home).catalogFile())) {
            catalog.runLog().release("table:pets", "run-of-another-server");
        }
        CliRun.Result watched = client.run("runs", "watch", runId);
        assertThat(watched.exit()).as(watched + "\n" + logs()).isZero();
        assertThat(server.ferry().getRun(runId).state().id()).isEqualTo("completed");
        assertThat(server.ferry().getIngestion("pets", null).rowCount()).isEqualTo(3);
        assertThat(kubelet.log(job)).contains("trying again", "the server answers again", "done");
        List<String> lines = client.run("runs", "logs", runId, "--events").out().lines().toList();
        assertThat(lines).anyMatch(l -> l.contains("this server took it up"));
        assertThat(lines.stream().filter(l -> l.contains("planned pets")).count()).as("announced once").isEqualTo(1);
        assertThat(kube.batch().v1().jobs().inNamespace("ml").list().getItems()).as("no second Job").hasSize(1);
    }

    @Test
    void aServerThatStartsAfterItsRunsJobWasDeletedSettlesTheRunFailed() throws Exception {
        start(KubeletStandIn.PENDING);
        CliRun client = client();
        String runId = pushDetached(client, 2);
        String job = KubernetesRunExecutor.jobName(runId);
        awaitJob(job);
        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        stopServer();
        kube.batch().v1().jobs().inNamespace("ml").withName(job).delete(); // while no server watched
        startServer(port);
        var run = server.ferry().getRun(runId);
        assertThat(run.state().id()).isEqualTo("failed");
        assertThat(run.failure().message()).contains("stopped while the run was", "its work elsewhere is gone");
    }

    private CliRun client() {
        return new CliRun(tmp.resolve("client")).env("FERRY_SERVER", url).env("FERRY_TOKEN", admin);
    }

    /** A push of {@code images} labelled images to table pets, detached: its run's id. */
    private String pushDetached(CliRun client, int images) {
        String[] csv = java.util.stream.Stream.concat(java.util.stream.Stream.of("filename,label"),
                java.util.stream.IntStream.range(0, images).mapToObj(i -> "p" + i + ".jpg," + (i % 2 == 0 ? "cat" : "dog")))
                .toArray(String[]::new);
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("pets")).csv(csv).images("p", images, 48, 48);
        CliRun.Result detached = client.run("dataset", "push", d.dir().toString(), "--table", "pets", "--category",
                "image_classification", "--intent", "train", "--label-column", "label", "--detach");
        assertThat(detached.exit()).as(detached.toString()).isZero();
        return detached.lastLine().strip();
    }

    private void awaitJob(String job) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (kube.batch().v1().jobs().inNamespace("ml").withName(job).get() == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(kube.batch().v1().jobs().inNamespace("ml").withName(job).get()).as("the run's Job").isNotNull();
    }

    private void awaitLog(String job, String text) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!kubelet.log(job).contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(kubelet.log(job)).as(logs()).contains(text);
    }

    @Test
    void aJobThatFailsEndsItsRunFailedWithTheReason() throws Exception {
        start(KubeletStandIn.FAILING);
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog")
                .images("p", 2, 48, 48);
        CliRun.Result pushed = push(d.dir(), "pets");
        assertThat(pushed.exit()).as(pushed.toString()).isEqualTo(9);
        assertThat(pushed.err()).contains("failed (ImagePullBackOff: cannot pull image");
        assertThat(server.ferry().listDatasets()).isEmpty();
    }

    @Test
    void cancellingARunDeletesItsJobAndTheRunEndsCancelled() throws Exception {
        start(KubeletStandIn.PENDING);
        CliRun client = client();
        String runId = pushDetached(client, 2);
        String job = KubernetesRunExecutor.jobName(runId);
        awaitJob(job);
        assertThat(client.run("runs", "cancel", runId).exit()).isZero();
        CliRun.Result watched = client.run("runs", "watch", runId);
        assertThat(server.ferry().getRun(runId).state().id()).as(watched.toString()).isEqualTo("cancelled");
        assertThat(kube.batch().v1().jobs().inNamespace("ml").withName(job).get()).as("deleted").isNull();
        assertThat(server.ferry().listDatasets()).isEmpty();
    }
}
