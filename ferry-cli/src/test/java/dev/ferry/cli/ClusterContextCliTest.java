package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.k8s.MockCluster;
import dev.ferry.k8s.TokenReviewAuthenticator;
import dev.ferry.server.FerryServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster as a context: `ferry context add NAME --kubernetes`, then a push that finds the release
 * through the kubeconfig, mints a ServiceAccount token, and reaches the server by port-forward over
 * the API server. The API is fabric8's mock; the kubelet's end of the port-forward is a stand-in that
 * connects to a real Ferry server, which checks the token with the mock's TokenReview.
 */
class ClusterContextCliTest {
    @TempDir
    Path tmp;
    MockCluster cluster;
    KubernetesClient kube;
    FerryServer server;
    CliRun ferry;

    @BeforeEach
    void start() throws Exception {
        cluster = MockCluster.start(tmp.resolve("kube"));
        kube = cluster.client();
        cluster.mintIngestTokens("sa:ml:ferry-ingest");
        cluster.reviewServiceAccountTokens();
        Path rules = Files.writeString(tmp.resolve("rules.yaml"), "rules:\n- namespace: ml\n  serviceAccount: ferry-ingest\n"
                + "  tables: ['*']\n");
        LocalFerry store = LocalFerry.open(new FerryHome(tmp.resolve("server-home")));
        store.startRunsAsServer();
        server = new FerryServer(store, FerryServer.newToken(), false,
                List.of(new TokenReviewAuthenticator(kube, TokenReviewAuthenticator.fromFile(rules), Clock.systemUTC())));
        int port = server.start("127.0.0.1", 0);
        cluster.forwardPodsTo(port);
        ferry = new CliRun(tmp.resolve("home")).env("KUBECONFIG", cluster.kubeconfig().toString())
                .env("HOME", tmp.resolve("user").toString());
        CliRun.Result installed = ferry.run("cluster", "install", "-n", "ml", "--image", "ferry:1");
        assertThat(installed.exit()).as(installed.toString()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
        server.ferry().close();
        kube.close();
        cluster.close();
    }

    private void serverPod(boolean ready) {
        kube.pods().inNamespace("ml").resource(new PodBuilder().withNewMetadata().withName("ferry-server-abc").withNamespace("ml")
                .withLabels(Map.of("app.kubernetes.io/name", "ferry", "app.kubernetes.io/component", "server")).endMetadata()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .endCondition().endStatus().build()).createOr(p -> p.update());
    }

    @Test
    void aClusterContextPushesThroughAPortForwardWithAMintedToken() throws Exception {
        serverPod(false);
        CliRun.Result notReady = ferry.run("context", "add", "kube", "--kubernetes", "-n", "ml");
        assertThat(notReady.exit()).as(notReady.toString()).isEqualTo(4);
        assertThat(notReady.err()).contains("has no ready pod");

        serverPod(true);
        CliRun.Result added = ferry.run("context", "add", "kube", "--kubernetes", "-n", "ml");
        assertThat(added.exit()).as(added.toString()).isZero();
        assertThat(added.err()).contains("Added context kube", "namespace ml", "pod ferry-server-abc");
        assertThat(ferry.run("context", "list").out()).contains("* ", "kube", "kubernetes: namespace ml");

        DatasetBuilder d = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog", "p2.jpg,cat")
                .images("p", 3, 32, 32);
        CliRun.Result pushed = ferry.run("dataset", "push", d.dir().toString(), "--table", "pets", "--category",
                "image_classification", "--intent", "train", "--label-column", "label");
        assertThat(pushed.exit()).as(pushed.toString()).isZero();
        assertThat(server.ferry().getIngestion("pets", null).rowCount()).isEqualTo(3);
        // again: only what is missing travels (nothing), through a new forward
        CliRun.Result again = ferry.run("dataset", "push", d.dir().toString(), "--table", "pets", "--category",
                "image_classification", "--intent", "train", "--label-column", "label");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(server.ferry().listIngestions("pets")).hasSize(1);
        CliRun.Result listed = ferry.run("-o", "json", "dataset", "list");
        assertThat(listed.exit()).isZero();
        assertThat(listed.json().get(0).get("table").asText()).isEqualTo("pets");
    }

    @Test
    void doctorWalksThePathAndStopsAtTheFirstStepThatFailsWithWhatToFix() throws Exception {
        serverPod(true);
        assertThat(ferry.run("context", "add", "kube", "--kubernetes", "-n", "ml").exit()).isZero();
        CliRun.Result healthy = ferry.run("doctor");
        assertThat(healthy.exit()).as(healthy.toString()).isZero();
        assertThat(healthy.out()).contains("ok    kubeconfig: ", "ok    API server: ", "ok    release: Ferry ",
                "ok    token: TokenRequest for ServiceAccount ml/ferry-ingest", "ok    server: Ferry in namespace ml",
                "token accepted", "ok    store: catalog ", "packs " + tmp.resolve("server-home").resolve("store"), "both answer");
        CliRun.Result json = ferry.run("-o", "json", "doctor");
        assertThat(json.json()).hasSize(6);
        assertThat(json.json().get(5).get("check").asText()).isEqualTo("store");
        assertThat(json.json().get(5).get("ok").asBoolean()).isTrue();

        serverPod(false);
        CliRun.Result notReady = ferry.run("doctor");
        assertThat(notReady.exit()).isEqualTo(4);
        assertThat(notReady.out()).contains("ok    token:", "FAIL  server: the Ferry server in namespace 'ml' has no ready pod",
                "fix: see 'ferry cluster info -n ml'");

        cluster.forbid("POST", "/api/v1/namespaces/ml/serviceaccounts/ferry-ingest/token", "cannot create serviceaccounts/token");
        CliRun.Result noToken = ferry.run("doctor");
        assertThat(noToken.exit()).isEqualTo(5);
        assertThat(noToken.out()).contains("FAIL  token:", "cannot create serviceaccounts/token")
                .doesNotContain("ok    server", "FAIL  server");

        CliRun.Result local = new CliRun(tmp.resolve("other-home")).run("doctor");
        assertThat(local.exit()).as(local.toString()).isZero();
        assertThat(local.out()).contains("ok    server: ", "token accepted", "ok    store: ");

        // the cluster's server loses its packs (the volume went away): the store step says so
        cluster.mintIngestTokens("sa:ml:ferry-ingest"); // allowed again (the newest answer wins)
        serverPod(true);
        Path packs = tmp.resolve("server-home").resolve("store").resolve("packs");
        try (var files = Files.walk(packs)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.writeString(packs, "not a directory");
        CliRun.Result lost = ferry.run("doctor");
        assertThat(lost.exit()).as(lost.toString()).isEqualTo(7);
        assertThat(lost.out()).contains("ok    server:", "FAIL  store: the packs at ", "do not answer",
                "fix: check the store's location and credentials");
    }

    /**
     * The seed's flow against a cluster context: the bundled example pushed with the tracebloc-style
     * flags, checked here, staged through the port-forward, ingested on the server, summarized.
     */
    @Test
    void theBundledExamplePushedThroughAClusterContextIngestsAll576Records() {
        serverPod(true);
        assertThat(ferry.run("context", "add", "kube", "--kubernetes", "-n", "ml").exit()).isZero();
        Path example = Path.of("..", "examples", "cats-dogs").toAbsolutePath().normalize();
        CliRun.Result pushed = ferry.run("dataset", "push", example.toString(), "--table", "cats_dogs_train", "--category",
                "image_classification", "--intent", "train", "--label-column", "label");
        assertThat(pushed.exit()).as(pushed.toString()).isZero();
        assertThat(pushed.out()).contains("records   576 total · 576 inserted");
        assertThat(server.ferry().getIngestion("cats_dogs_train", null).rowCount()).isEqualTo(576);
        // nothing contacts the cluster before the local checks pass
        int asked = cluster.server().getRequestCount();
        CliRun.Result bad = ferry.run("dataset", "push", example.toString(), "--table", "cats_dogs_train",
                "--category", "image_classification", "--intent", "train", "--label-column", "no_such_column");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(cluster.server().getRequestCount()).as("requests to the API server").isEqualTo(asked);
    }
}
