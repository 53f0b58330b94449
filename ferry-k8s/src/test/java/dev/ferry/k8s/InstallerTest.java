package dev.ferry.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Install, discovery and uninstall against fabric8's mock API server (CRUD mode). */
class InstallerTest {
    @TempDir
    Path tmp;
    MockCluster cluster;
    KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        cluster = MockCluster.start(tmp);
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        client.close();
        cluster.close();
    }

    private static ReleaseSpec spec(String ns) {
        return new ReleaseSpec(ns, "ferry:1", null, null, null, null, null, "1.0");
    }

    private static FerryException failure(Runnable call) {
        try {
            call.run();
        } catch (FerryException e) {
            return e;
        }
        throw new AssertionError("no FerryException");
    }

    @Test
    void anInstalledReleaseIsFoundInItsNamespaceOnlyAndAnUninstallKeepsTheData() {
        var changes = new Installer(client).install(spec("ml"));
        assertThat(changes).extracting(c -> c.kind() + "/" + c.name() + " " + c.action())
                .contains("Namespace/ml created", "Secret/ferry-admin created", "Deployment/ferry-server created",
                        "PersistentVolumeClaim/ferry-data created");
        String token = client.secrets().inNamespace("ml").withName("ferry-admin").get().getStringData().get("token");
        assertThat(token).startsWith("fy_").hasSizeGreaterThan(40);

        Release release = ReleaseFinder.find(client, "ml");
        assertThat(release.version()).isEqualTo("1.0");
        assertThat(release.image()).isEqualTo("ferry:1");
        assertThat(release.service()).isEqualTo("ferry-server");
        assertThat(release.ready()).isFalse(); // nothing runs pods in the mock

        FerryException elsewhere = failure(() -> ReleaseFinder.find(client, "other"));
        assertThat(elsewhere.code()).isEqualTo(ErrorCode.UNREACHABLE);
        assertThat(elsewhere.code().exitCode()).isEqualTo(4);
        assertThat(elsewhere.getMessage()).contains("not installed in namespace 'other'");

        // installing again updates, and keeps the admin token
        var again = new Installer(client).install(spec("ml"));
        assertThat(again).extracting(c -> c.kind() + " " + c.action()).contains("Deployment updated")
                .doesNotContain("Secret created");
        assertThat(client.secrets().inNamespace("ml").withName("ferry-admin").get().getStringData().get("token")).isEqualTo(token);

        var removed = new Installer(client).uninstall("ml", false);
        assertThat(removed).extracting(c -> c.kind() + "/" + c.name()).contains("Deployment/ferry-server",
                "ClusterRoleBinding/ferry-token-review-ml").doesNotContain("PersistentVolumeClaim/ferry-data", "Secret/ferry-admin");
        assertThat(client.persistentVolumeClaims().inNamespace("ml").withName("ferry-data").get()).as("data kept").isNotNull();
        assertThat(failure(() -> ReleaseFinder.find(client, "ml")).code()).isEqualTo(ErrorCode.UNREACHABLE);
        new Installer(client).install(spec("ml"));
        var purged = new Installer(client).uninstall("ml", true);
        assertThat(purged).extracting(c -> c.kind() + "/" + c.name()).contains("PersistentVolumeClaim/ferry-data", "Secret/ferry-admin");
        assertThat(failure(() -> new Installer(client).uninstall("ml", true)).code()).isEqualTo(ErrorCode.UNREACHABLE);
    }

    @Test
    void rbacRefusalsAreExitFiveAndNameWhatWasRefused() throws Exception {
        cluster.forbid("GET", "/apis/apps/v1/namespaces/locked/deployments",
                "deployments.apps is forbidden: User \"ada\" cannot list resource \"deployments\"");
        FerryException refused = failure(() -> ReleaseFinder.find(client, "locked"));
        assertThat(refused.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refused.code().exitCode()).isEqualTo(5);
        assertThat(refused.getMessage()).contains("RBAC refused", "cannot list resource \"deployments\"");
    }

    @Test
    void theKubeconfigDecidesClusterContextAndNamespaceAsForKubectl() throws Exception {
        try (var c = ClusterAccess.connect(cluster.kubeconfig().toString(), null, null, Map.of())) {
            assertThat(c.target().context()).isEqualTo("mock");
            assertThat(c.target().namespace()).isEqualTo("default");
            assertThat(c.target().server()).startsWith("http://");
        }
        try (var c = ClusterAccess.connect(cluster.kubeconfig().toString(), "elsewhere", null, Map.of())) {
            assertThat(c.target().namespace()).isEqualTo("other");
        }
        try (var c = ClusterAccess.connect(null, null, "ml", Map.of("KUBECONFIG", cluster.kubeconfig().toString()))) {
            assertThat(c.target().namespace()).as("-n wins").isEqualTo("ml");
            assertThat(c.target().source()).isEqualTo(cluster.kubeconfig().toString());
        }
        FerryException none = failure(() -> ClusterAccess.connect(null, null, null, Map.of("HOME", tmp.resolve("nohome").toString())));
        assertThat(none.code().exitCode()).isEqualTo(3);
        assertThat(none.getMessage()).contains("no kubeconfig");
        FerryException missing = failure(() -> ClusterAccess.connect(tmp.resolve("nope").toString(), null, null, Map.of()));
        assertThat(missing.code().exitCode()).isEqualTo(3);
        Path broken = Files.writeString(tmp.resolve("broken"), "clusters: [this is: not: a kubeconfig\n");
        FerryException unreadable = failure(() -> ClusterAccess.connect(broken.toString(), null, null, Map.of()));
        assertThat(unreadable.code().exitCode()).isEqualTo(3);
        FerryException noContext = failure(() -> ClusterAccess.connect(cluster.kubeconfig().toString(), "nosuch", null, Map.of()));
        assertThat(noContext.code().exitCode()).isEqualTo(3);
    }
}
