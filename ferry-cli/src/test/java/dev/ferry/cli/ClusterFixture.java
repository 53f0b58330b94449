package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.k8s.KubeletStandIn;
import dev.ferry.k8s.KubernetesExecutorProvider;
import dev.ferry.k8s.KubernetesRunExecutor;
import dev.ferry.k8s.Manifests;
import dev.ferry.k8s.MockCluster;
import dev.ferry.k8s.TokenReviewAuthenticator;
import dev.ferry.server.FerryServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A cluster with Ferry installed, for tests of the whole flow: fabric8's mock API (TokenRequest and
 * TokenReview answered), `ferry cluster install --pvc` run by the test's CLI, the release's server (a
 * real server with the admin token from the release's Secret, running runs as Jobs from the release's
 * own Job template, accepting ServiceAccount tokens), its ready pod reached by port-forward, and a
 * kubelet stand-in that runs each Job's container as a real `ferry worker` process.
 */
final class ClusterFixture implements AutoCloseable {
    static final String IMAGE = "registry.example/ferry:1";
    private static final String SERVICE_URL = "http://" + Manifests.SERVER + ".ml.svc:" + Manifests.PORT;

    final Path dir;
    final MockCluster cluster;
    final KubernetesClient kube;
    MockCluster.Forwarding forwarding;
    FerryServer server;
    KubeletStandIn kubelet;
    Path serverHome;

    private ClusterFixture(Path dir, MockCluster cluster) {
        this.dir = dir;
        this.cluster = cluster;
        this.kube = cluster.client();
    }

    static ClusterFixture start(Path dir) throws Exception {
        ClusterFixture f = new ClusterFixture(dir, MockCluster.start(dir.resolve("kube")));
        f.cluster.mintIngestTokens("sa:ml:ferry-ingest");
        f.cluster.reviewServiceAccountTokens();
        return f;
    }

    String kubeconfig() {
        return cluster.kubeconfig().toString();
    }

    /** `ferry cluster install` by {@code user} (whose KUBECONFIG is this cluster's), then the release's server pod. */
    void install(CliRun user) throws Exception {
        CliRun.Result installed = user.run("cluster", "install", "-n", "ml", "--image", IMAGE, "--pvc", "ferry-data",
                "--allow", "ml/ferry-ingest=*");
        assertThat(installed.exit()).as(installed.toString()).isZero();
        Secret admin = kube.secrets().inNamespace("ml").withName(Manifests.ADMIN_SECRET).get();
        String token = admin.getStringData() != null ? admin.getStringData().get("token")
                : new String(Base64.getDecoder().decode(admin.getData().get("token")), StandardCharsets.UTF_8);
        adminToken = token;
        serverHome = dir.resolve("server-home");
        Files.writeString(dir.resolve("rules.yaml"), "rules:\n- namespace: ml\n  serviceAccount: ferry-ingest\n"
                + "  tables: ['*']\n");
        port = startServer(0);
        forwarding = cluster.forwardPodsTo(port);
        serverPod("ferry-server-abc");
        String java = ProcessHandle.current().info().command().orElse("java");
        kubelet = new KubeletStandIn(kube, "ml", List.of(java, "-cp", System.getProperty("java.class.path"), "dev.ferry.cli.Ferry"),
                Map.of(SERVICE_URL, "http://127.0.0.1:" + port, Manifests.HOME, serverHome.toString()), dir.resolve("pod-logs"));
        kubelet.serveLogsOn(cluster);
    }

    private String adminToken;
    private int port;

    /** The release's server process (its pod's container) on {@code port}, 0 for any; returns the port. */
    private int startServer(int port) throws Exception {
        LocalFerry store = LocalFerry.open(new FerryHome(serverHome));
        store.runOn(new KubernetesRunExecutor(kube, "ml", KubernetesExecutorProvider.template(
                Map.of(KubernetesExecutorProvider.PVC_ENV, "ferry-data"), "ml", IMAGE, 600), Duration.ofMillis(100)));
        store.startRunsAsServer();
        server = new FerryServer(store, adminToken, false, List.of(new TokenReviewAuthenticator(kube,
                TokenReviewAuthenticator.fromFile(dir.resolve("rules.yaml")), Clock.systemUTC())));
        return server.start("127.0.0.1", port);
    }

    private void serverPod(String name) {
        kube.pods().inNamespace("ml").resource(new PodBuilder().withNewMetadata().withName(name).withNamespace("ml")
                .withLabels(Map.of("app.kubernetes.io/name", "ferry", "app.kubernetes.io/component", "server")).endMetadata()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build()).create();
    }

    /**
     * The server's pod replaced, as the Deployment does when it dies: the server stops, its pod goes,
     * a new server starts on the same data and a new pod (another name) becomes ready.
     */
    void replaceServerPod(String newPod) throws Exception {
        server.close();
        server.ferry().close();
        server = null;
        kube.pods().inNamespace("ml").withName("ferry-server-abc").delete();
        startServer(port);
        serverPod(newPod);
    }

    /**
     * The table's turn taken by a run of "another server" sharing the catalog: runs on it wait (their
     * worker mid-run, in planning) until {@link #releaseTurn}.
     */
    void holdTurn(String table) {
        try (JdbcDatabase catalog = JdbcDatabase.sqlite(new FerryHome(serverHome).catalogFile())) {
            assertThat(catalog.runLog().claim("table:" + table, "run-of-another-server", Instant.now(),
                    Instant.now().plusSeconds(3600))).isEmpty();
        }
    }

    void releaseTurn(String table) {
        try (JdbcDatabase catalog = JdbcDatabase.sqlite(new FerryHome(serverHome).catalogFile())) {
            catalog.runLog().release("table:" + table, "run-of-another-server");
        }
    }

    /** Every pod's output, for a failure's message. */
    String podLogs() throws Exception {
        StringBuilder out = new StringBuilder();
        for (String job : kubelet.started()) {
            out.append("--- pod of ").append(job).append('\n').append(kubelet.log(job));
        }
        return out.toString();
    }

    @Override
    public void close() {
        if (kubelet != null) kubelet.close();
        if (server != null) {
            server.close();
            server.ferry().close();
        }
        kube.close();
        cluster.close();
    }
}
