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
import java.nio.file.Path;
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

    void start(String image) throws Exception {
        cluster = MockCluster.start(tmp.resolve("kube"));
        kube = cluster.client();
        kube.secrets().inNamespace("ml").resource(new SecretBuilder().withNewMetadata().withName("ferry-admin").withNamespace("ml")
                .endMetadata().addToStringData("token", admin).build()).create();
        Path home = tmp.resolve("server-home");
        List<EnvVar> env = List.of(new EnvVar("FERRY_SERVER", SERVICE_URL, null),
                new EnvVarBuilder().withName("FERRY_TOKEN").withNewValueFrom().withNewSecretKeyRef("token", "ferry-admin", false)
                        .endValueFrom().build(),
                new EnvVar("FERRY_HOME", "/var/lib/ferry", null));
        LocalFerry store = LocalFerry.open(new FerryHome(home));
        store.runOn(new KubernetesRunExecutor(kube, "ml", new KubernetesRunExecutor.JobTemplate(image, env, List.of(), List.of(),
                Map.of(), 600), Duration.ofMillis(100)));
        store.startRunsAsServer();
        server = new FerryServer(store, admin, false);
        url = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        String java = ProcessHandle.current().info().command().orElse("java");
        kubelet = new KubeletStandIn(kube, "ml", List.of(java, "-cp", System.getProperty("java.class.path"), "dev.ferry.cli.Ferry"),
                Map.of(SERVICE_URL, url, "/var/lib/ferry", home.toString()), tmp.resolve("pod-logs"));
    }

    @AfterEach
    void stop() {
        if (kubelet != null) kubelet.close();
        if (server != null) {
            server.close();
            server.ferry().close();
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
        assertThat(server.ferry().getRun(runId).state().id()).isEqualTo("completed");
        CliRun.Result followed = new CliRun(tmp.resolve("client")).env("FERRY_SERVER", url).env("FERRY_TOKEN", admin)
                .run("runs", "logs", runId, "--follow");
        assertThat(followed.exit()).isZero();
        assertThat(followed.out()).contains("received push", "planned pets", "completed");
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
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog")
                .images("p", 2, 48, 48);
        CliRun client = new CliRun(tmp.resolve("client")).env("FERRY_SERVER", url).env("FERRY_TOKEN", admin);
        CliRun.Result detached = client.run("dataset", "push", d.dir().toString(), "--table", "pets", "--category",
                "image_classification", "--intent", "train", "--label-column", "label", "--detach");
        assertThat(detached.exit()).as(detached.toString()).isZero();
        String runId = detached.lastLine().strip();
        String job = KubernetesRunExecutor.jobName(runId);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (kube.batch().v1().jobs().inNamespace("ml").withName(job).get() == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(kube.batch().v1().jobs().inNamespace("ml").withName(job).get()).as("the run's Job").isNotNull();
        assertThat(client.run("runs", "cancel", runId).exit()).isZero();
        CliRun.Result watched = client.run("runs", "watch", runId);
        assertThat(server.ferry().getRun(runId).state().id()).as(watched.toString()).isEqualTo("cancelled");
        assertThat(kube.batch().v1().jobs().inNamespace("ml").withName(job).get()).as("deleted").isNull();
        assertThat(server.ferry().listDatasets()).isEmpty();
    }
}
