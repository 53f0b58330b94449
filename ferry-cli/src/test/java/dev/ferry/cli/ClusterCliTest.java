package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.k8s.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ferry cluster install|info|uninstall` as a user runs them, against fabric8's mock API server. */
class ClusterCliTest {
    @TempDir
    Path tmp;
    MockCluster cluster;
    CliRun ferry;

    @BeforeEach
    void start() throws Exception {
        cluster = MockCluster.start(tmp.resolve("kube"));
        ferry = new CliRun(tmp.resolve("home")).env("KUBECONFIG", cluster.kubeconfig().toString())
                .env("HOME", tmp.resolve("user").toString());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void installThenInfoFindsTheReleaseAndUninstallRemovesIt() {
        CliRun.Result installed = ferry.run("cluster", "install", "-n", "ml", "--image", "registry.example/ferry:0.1.0");
        assertThat(installed.exit()).as(installed.toString()).isZero();
        assertThat(installed.out()).contains("Deployment/ferry-server created", "Secret/ferry-admin created");
        assertThat(installed.out()).doesNotContain("fy_");

        cluster.mintIngestTokens("minted");
        CliRun.Result info = ferry.run("cluster", "info", "-n", "ml");
        assertThat(info.exit()).as(info.toString()).isZero();
        assertThat(info.out()).contains("token: TokenRequest for ServiceAccount ml/ferry-ingest, expires 2026-12-07T12:00:00Z");
        assertThat(info.out()).contains("namespace: ml", "context: mock", "image: registry.example/ferry:0.1.0", "ready: 0/1",
                "port-forward to service/ferry-server:7433");
        assertThat(info.err()).contains("no ready pod yet");
        CliRun.Result json = ferry.run("-o", "json", "cluster", "info", "-n", "ml");
        assertThat(json.json().get("namespace").asText()).isEqualTo("ml");

        CliRun.Result wrongNamespace = ferry.run("cluster", "info");
        assertThat(wrongNamespace.exit()).isEqualTo(4);
        assertThat(wrongNamespace.err()).startsWith("error: Ferry is not installed in namespace 'default'");
        CliRun.Result otherContext = ferry.run("cluster", "info", "--context", "elsewhere");
        assertThat(otherContext.exit()).isEqualTo(4);
        assertThat(otherContext.err()).contains("namespace 'other'");

        CliRun.Result removed = ferry.run("cluster", "uninstall", "-n", "ml");
        assertThat(removed.exit()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("Deployment/ferry-server deleted").doesNotContain("PersistentVolumeClaim");
        assertThat(ferry.run("cluster", "info", "-n", "ml").exit()).isEqualTo(4);
    }

    @Test
    void aDryRunPrintsManifestsThatApplyAsTheInstallWouldAndTouchesNoCluster() throws Exception {
        CliRun offline = new CliRun(tmp.resolve("home")).env("HOME", tmp.resolve("nobody").toString());
        CliRun.Result yaml = offline.run("cluster", "install", "-n", "ml", "--image", "ferry:1", "--store", "s3://data/ferry",
                "--catalog-secret", "ferry-catalog", "--allow", "team-a/trainer=team_a_*", "--worker-cpu", "2",
                "--worker-memory", "4Gi", "--run-deadline", "2h", "--dry-run", "-o", "yaml");
        assertThat(yaml.exit()).as(yaml.toString()).isZero();
        @SuppressWarnings("unchecked")
        List<HasMetadata> objects = (List<HasMetadata>) (Object) Serialization.unmarshal(yaml.out());
        assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service", "ConfigMap", "Role")
                .doesNotContain("PersistentVolumeClaim", "Secret");
        // what each run's Job will ask for, as the server's executor reads it
        var deployment = (io.fabric8.kubernetes.api.model.apps.Deployment) objects.stream()
                .filter(o -> o.getKind().equals("Deployment")).findFirst().orElseThrow();
        var env = new java.util.HashMap<String, String>();
        deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv()
                .forEach(e -> env.put(e.getName(), e.getValue()));
        var template = dev.ferry.k8s.KubernetesExecutorProvider.template(env, "ml", "ferry:1",
                Long.parseLong(env.get("FERRY_RUN_DEADLINE")));
        assertThat(template.requests()).containsEntry("cpu", new io.fabric8.kubernetes.api.model.Quantity("2"))
                .containsEntry("memory", new io.fabric8.kubernetes.api.model.Quantity("4Gi"));
        assertThat(template.activeDeadlineSeconds()).isEqualTo(7200);
        // what a GitOps user commits, kubectl applies: here, the mock API takes every object
        try (KubernetesClient client = cluster.client()) {
            for (HasMetadata o : objects) {
                client.resource(o).create();
            }
            assertThat(client.apps().deployments().inNamespace("ml").withName("ferry-server").get()).isNotNull();
        }
        cluster.mintIngestTokens("minted");
        CliRun.Result info = ferry.run("cluster", "info", "-n", "ml");
        assertThat(info.exit()).as(info.toString()).isZero();
        assertThat(info.out()).contains("image: ferry:1");
        cluster.forbid("POST", "/api/v1/namespaces/ml/serviceaccounts/ferry-ingest/token", "cannot create serviceaccounts/token");
        CliRun.Result noToken = ferry.run("cluster", "info", "-n", "ml");
        assertThat(noToken.exit()).as("RBAC refuses the token").isEqualTo(5);
        assertThat(noToken.err()).contains("no token for ml/ferry-ingest", "ferry-client");
    }

    @Test
    void kubeconfigProblemsAreExitThreeAndRbacRefusalsExitFive() throws Exception {
        CliRun noConfig = new CliRun(tmp.resolve("home")).env("HOME", tmp.resolve("nobody").toString());
        CliRun.Result none = noConfig.run("cluster", "info");
        assertThat(none.exit()).isEqualTo(3);
        assertThat(none.err()).contains("no kubeconfig");
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "clusters: [nope: nope: nope\n");
        CliRun.Result unreadable = noConfig.run("cluster", "info", "--kubeconfig", broken.toString());
        assertThat(unreadable.exit()).isEqualTo(3);
        assertThat(unreadable.err()).contains("cannot use the kubeconfig");
        CliRun.Result badContext = ferry.run("cluster", "info", "--context", "nosuch");
        assertThat(badContext.exit()).isEqualTo(3);
        assertThat(badContext.err()).contains("has no context 'nosuch'", "mock");

        cluster.forbid("GET", "/apis/apps/v1/namespaces/locked/", "deployments.apps is forbidden: User \"ada\" cannot list");
        CliRun.Result refused = ferry.run("cluster", "info", "-n", "locked");
        assertThat(refused.exit()).isEqualTo(5);
        assertThat(refused.err()).contains("RBAC refused", "cannot list");
        cluster.forbid("POST", "/api/v1/namespaces", "namespaces is forbidden: User \"ada\" cannot create");
        CliRun.Result cannotInstall = ferry.run("cluster", "install", "-n", "new-ns", "--image", "ferry:1");
        assertThat(cannotInstall.exit()).isEqualTo(5);
    }

    @Test
    void badInstallSettingsAreRefusedBeforeTheClusterIsAsked() {
        CliRun.Result noImage = ferry.run("cluster", "install", "-n", "ml");
        assertThat(noImage.exit()).isEqualTo(2);
        CliRun.Result s3WithoutCatalog = ferry.run("cluster", "install", "-n", "ml", "--image", "f:1", "--store", "s3://b/p");
        assertThat(s3WithoutCatalog.exit()).isEqualTo(2);
        assertThat(s3WithoutCatalog.err()).contains("needs a shared catalog");
        CliRun.Result badAllow = ferry.run("cluster", "install", "-n", "ml", "--image", "f:1", "--allow", "oops");
        assertThat(badAllow.exit()).isEqualTo(2);
        CliRun.Result badMemory = ferry.run("cluster", "install", "-n", "ml", "--image", "f:1", "--worker-memory", "lots");
        assertThat(badMemory.exit()).isEqualTo(2);
        assertThat(badMemory.err()).contains("--worker-memory 'lots' is not a Kubernetes quantity");
        CliRun.Result badDeadline = ferry.run("cluster", "install", "-n", "ml", "--image", "f:1", "--run-deadline", "soon");
        assertThat(badDeadline.exit()).isEqualTo(2);
        assertThat(ferry.run("cluster", "install", "-n", "ml", "--image", "f:1", "--run-deadline", "0s").exit()).isEqualTo(2);
        CliRun.Result yamlElsewhere = ferry.run("-o", "yaml", "repo", "list");
        assertThat(yamlElsewhere.exit()).isEqualTo(2);
        assertThat(yamlElsewhere.err()).contains("-o yaml is only for");
    }
}
