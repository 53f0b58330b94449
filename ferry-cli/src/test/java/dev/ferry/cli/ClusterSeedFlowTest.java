package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.k8s.KubeletStandIn;
import dev.ferry.k8s.KubernetesRunExecutor;
import dev.ferry.k8s.Manifests;
import dev.ferry.k8s.MockCluster;
import dev.ferry.server.FerryServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's whole flow against a cluster, both halves at once: a `--kubernetes` context (release found
 * through the kubeconfig, a minted ServiceAccount token, a port-forward over the API server) and the
 * server running each run as a Job made from the release's own Job template, whose pod (the kubelet
 * stand-in's process) does the work and reports back through the server's Service.
 */
class ClusterSeedFlowTest {
    @TempDir
    Path tmp;
    ClusterFixture c;
    MockCluster.Forwarding forwarding;
    KubernetesClient kube;
    FerryServer server;
    KubeletStandIn kubelet;
    CliRun ferry;

    @BeforeEach
    void start() throws Exception {
        c = ClusterFixture.start(tmp.resolve("cluster"));
        ferry = new CliRun(tmp.resolve("home")).env("KUBECONFIG", c.kubeconfig()).env("HOME", tmp.resolve("user").toString());
        c.install(ferry);
        kube = c.kube;
        server = c.server;
        kubelet = c.kubelet;
        forwarding = c.forwarding;
        CliRun.Result added = ferry.run("context", "add", "kube", "--kubernetes", "-n", "ml");
        assertThat(added.exit()).as(added.toString()).isZero();
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private String podLogs() throws Exception {
        return c.podLogs();
    }

    @Test
    void theBundledExampleIsCheckedHereStagedThroughTheForwardAndIngestedByAJob() throws Exception {
        Path example = Path.of("..", "examples", "cats-dogs").toAbsolutePath().normalize();
        CliRun.Result pushed = ferry.run("dataset", "push", example.toString(), "--table", "cats_dogs_train", "--category",
                "image_classification", "--intent", "train", "--label-column", "label");
        assertThat(pushed.exit()).as(pushed + "\n" + podLogs()).isZero();
        assertThat(pushed.out()).contains("records   576 total · 576 inserted");
        assertThat(server.ferry().getIngestion("cats_dogs_train", null).rowCount()).isEqualTo(576);
        // the run was a Job of the release's template, and its pod did the work
        assertThat(kubelet.started()).hasSize(1);
        var job = kube.batch().v1().jobs().inNamespace("ml").list().getItems().getFirst();
        assertThat(job.getMetadata().getLabels()).containsEntry(KubernetesRunExecutor.TABLE_LABEL, "cats_dogs_train");
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes().getFirst().getPersistentVolumeClaim().getClaimName()).isEqualTo("ferry-data");
        assertThat(pod.getContainers().getFirst().getEnvFrom().getFirst().getSecretRef().getName()).isEqualTo(Manifests.S3_SECRET);
        String runId = job.getMetadata().getLabels().get(KubernetesRunExecutor.RUN_LABEL);
        assertThat(kubelet.log(job.getMetadata().getName())).contains("executing: ingesting the records of cats_dogs_train",
                "done");

        // detached, then watched and its log read, as on one machine
        CliRun.Result detached = ferry.run("dataset", "push", example.toString(), "--table", "cats_dogs_val", "--category",
                "image_classification", "--intent", "test", "--label-column", "label", "--detach");
        assertThat(detached.exit()).as(detached.toString()).isZero();
        String second = detached.lastLine().strip();
        CliRun.Result watched = ferry.run("runs", "watch", second);
        assertThat(watched.exit()).as(watched + "\n" + podLogs()).isZero();
        assertThat(watched.out()).contains("576 total");
        CliRun.Result log = ferry.run("runs", "logs", second, "--follow");
        assertThat(log.exit()).as(log.toString()).isZero();
        assertThat(log.out()).contains("ferry worker", "done");
        assertThat(ferry.run("-o", "json", "runs", "show", runId).json().get("state").asText()).isEqualTo("completed");
    }

    /**
     * `ferry ui` on a Kubernetes context: its link goes through the command's own port-forward, logs a
     * browser in, and the forward lasts as long as the command runs — until Ctrl-C (an interrupt here).
     */
    @Test
    void theWebUiIsReachedThroughTheCommandsPortForwardUntilItEnds() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        java.util.concurrent.ExecutorService runner = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var ui = runner.submit(() -> ferry.run(out, err, "ui"));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!err.toString().contains("Ctrl-C ends it") && !ui.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ui.isDone()).as("the command keeps running: %s %s", out, err).isFalse();
            java.net.URI link = java.net.URI.create(out.toString().strip());
            assertThat(link.getHost()).isEqualTo("127.0.0.1");
            assertThat(link.getPath()).isEqualTo("/ui/login");
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            var login = http.send(java.net.http.HttpRequest.newBuilder(link).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(302);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            assertThat(cookie).startsWith("ferry_session=");
            var page = http.send(java.net.http.HttpRequest.newBuilder(link.resolve("/ui/")).header("Cookie", cookie).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Datasets");
            assertThat(forwarding.pods()).as("through the server pod").isNotEmpty();

            ui.cancel(true); // Ctrl-C
            runner.shutdown();
            assertThat(runner.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // the forward ended with the command: nothing listens on its port any more
            assertThat(listening(link.getPort())).isFalse();
        } finally {
            runner.shutdownNow();
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }

    @Test
    void aWatchThroughTheContextOutlivesTheServerPodBeingReplacedAndTheRunCompletes() throws Exception {
        c.holdTurn("pets"); // the run's worker waits mid-run while the pod is replaced
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog", "p2.jpg,cat")
                .images("p", 3, 48, 48);
        CliRun.Result detached = ferry.run("dataset", "push", d.dir().toString(), "--table", "pets", "--category",
                "image_classification", "--intent", "train", "--label-column", "label", "--detach");
        assertThat(detached.exit()).as(detached.toString()).isZero();
        String runId = detached.lastLine().strip();
        String job = KubernetesRunExecutor.jobName(runId);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!kubelet.log(job).contains("waiting for the turn on pets") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        java.util.concurrent.ExecutorService watcher = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var watching = watcher.submit(() -> ferry.run("runs", "watch", runId));
            Thread.sleep(1_000); // the watch is attached to the first pod
            c.replaceServerPod("ferry-server-def");
            c.releaseTurn("pets");
            CliRun.Result watched = watching.get(3, java.util.concurrent.TimeUnit.MINUTES);
            assertThat(watched.exit()).as(watched + "\n" + podLogs()).isZero();
            assertThat(watched.out()).contains("3 total · 3 inserted");
        } finally {
            watcher.shutdownNow();
        }
        assertThat(c.server.ferry().runEvents(runId, 0)).extracting(e -> e.event().toString())
                .anyMatch(e -> e.contains("this server took it up"));
        assertThat(kubelet.started()).as("one Job").hasSize(1);
        assertThat(forwarding.pods()).as("the watch went on through the new pod").contains("ferry-server-abc", "ferry-server-def");
    }

    @Test
    void aStagingCutOffMidWayIsResumedAndOnlyWhatIsMissingTravelsAgain() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("big"));
        List<String> csv = new java.util.ArrayList<>(List.of("filename,label"));
        for (int i = 0; i < 16; i++) {
            d.noiseImage("n" + i + ".png", 1000, 1000, i); // ~3 MB each, incompressible and all different
            csv.add("n" + i + ".png," + (i % 2 == 0 ? "cat" : "dog"));
        }
        d.csv(csv.toArray(String[]::new));
        long size;
        try (Stream<Path> files = Files.walk(d.dir())) {
            size = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(size).as("more than one upload batch").isGreaterThan(30L << 20);

        forwarding.breakAfter(size * 3 / 4); // the connection to the API server breaks during the staging
        CliRun.Result cut = ferry.run("dataset", "push", d.dir().toString(), "--table", "big", "--category",
                "image_classification", "--intent", "train", "--label-column", "label");
        assertThat(cut.exit()).as(cut.toString()).isEqualTo(4);
        assertThat(server.ferry().listDatasets()).as("nothing committed").isEmpty();
        assertThat(kubelet.started()).as("no run submitted").isEmpty();

        long before = forwarding.bytesUp();
        CliRun.Result resumed = ferry.run("dataset", "push", d.dir().toString(), "--table", "big", "--category",
                "image_classification", "--intent", "train", "--label-column", "label");
        assertThat(resumed.exit()).as(resumed + "\n" + podLogs()).isZero();
        assertThat(resumed.out()).contains("16 total · 16 inserted");
        long again = forwarding.bytesUp() - before;
        // the batches the server stored before the break did not travel again
        assertThat(again).as("bytes sent on resume, of %d", size).isLessThan(size * 3 / 4);
        assertThat(server.ferry().getIngestion("big", null).rowCount()).isEqualTo(16);
    }
}
