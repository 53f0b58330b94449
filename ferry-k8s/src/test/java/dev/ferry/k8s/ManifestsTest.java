package dev.ferry.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.FerryException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    private static ReleaseSpec pvcRelease() {
        return new ReleaseSpec("ml", "registry.example/ferry:1.0", null, null, null, null, null, "1.0");
    }

    @Test
    void aPvcReleaseHasAccountsRbacRulesAPvcTheServerAndItsService() {
        List<HasMetadata> objects = Manifests.render(pvcRelease());
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactly(
                "ServiceAccount/ferry-server", "ServiceAccount/ferry-ingest", "Role/ferry-server", "RoleBinding/ferry-server",
                "ClusterRole/ferry-token-review-ml", "ClusterRoleBinding/ferry-token-review-ml", "Role/ferry-client",
                "ConfigMap/ferry-authz", "PersistentVolumeClaim/ferry-data", "Deployment/ferry-server", "Service/ferry-server");
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "ferry").containsEntry("app.kubernetes.io/managed-by", "ferry"));
        Role server = (Role) objects.get(2);
        assertThat(server.getRules()).anySatisfy(r -> assertThat(r.getResources()).containsExactly("jobs"))
                .anySatisfy(r -> assertThat(r.getResources()).containsExactly("pods/log"));
        Deployment d = (Deployment) objects.get(9);
        var container = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo("registry.example/ferry:1.0");
        assertThat(container.getArgs()).containsExactly("serve", "--host", "0.0.0.0", "--port", "7433");
        assertThat(container.getEnv()).extracting(e -> e.getName()).contains("FERRY_HOME", "FERRY_TOKEN_FILE")
                .doesNotContain("FERRY_STORE", "FERRY_CATALOG");
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("ferry-server");
        ConfigMap authz = (ConfigMap) objects.get(7);
        assertThat(AuthorizationRule.readAll(authz.getData().get("rules.yaml")))
                .containsExactly(new AuthorizationRule("ml", "ferry-ingest", List.of("*")));
    }

    @Test
    void anS3ReleaseUsesTheSharedCatalogAndNoPvc() {
        ReleaseSpec spec = new ReleaseSpec("ml", "ferry:1", "s3://bucket/ferry", null, null, "ferry-catalog",
                List.of(AuthorizationRule.parse("team-a/trainer=team_a_*,shared_*")), "1.0");
        List<HasMetadata> objects = Manifests.render(spec);
        assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("PersistentVolumeClaim");
        Deployment d = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        var env = d.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
        assertThat(env).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("FERRY_STORE");
            assertThat(e.getValue()).isEqualTo("s3://bucket/ferry");
        }).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("FERRY_CATALOG");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("ferry-catalog");
        });
        ConfigMap authz = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast).findFirst().orElseThrow();
        assertThat(AuthorizationRule.readAll(authz.getData().get("rules.yaml")))
                .containsExactly(new AuthorizationRule("team-a", "trainer", List.of("team_a_*", "shared_*")));
    }

    @Test
    void theYamlParsesBackIntoTheSameObjects() {
        List<HasMetadata> objects = Manifests.render(pvcRelease());
        String yaml = Manifests.yaml(objects);
        assertThat(yaml).startsWith("---\n").doesNotContain("token: fy_");
        @SuppressWarnings("unchecked")
        List<HasMetadata> parsed = (List<HasMetadata>) (Object) Serialization.unmarshal(yaml);
        assertThat(parsed).hasSameSizeAs(objects);
        for (int i = 0; i < objects.size(); i++) {
            assertThat(parsed.get(i)).as(objects.get(i).getKind()).isEqualTo(objects.get(i));
        }
    }

    @Test
    void badSettingsAreRefusedWithWhatToDo() {
        assertThatThrownBy(() -> new ReleaseSpec("Bad_NS", "i", null, null, null, null, null, "1"))
                .isInstanceOf(FerryException.class).hasMessageContaining("invalid namespace 'Bad_NS'");
        assertThatThrownBy(() -> new ReleaseSpec("ml", "", null, null, null, null, null, "1"))
                .isInstanceOf(FerryException.class).hasMessageContaining("no server image");
        assertThatThrownBy(() -> new ReleaseSpec("ml", "i", "gs://x", null, null, null, null, "1"))
                .isInstanceOf(FerryException.class).hasMessageContaining("is not an S3 URL");
        assertThatThrownBy(() -> new ReleaseSpec("ml", "i", "s3://b/p", null, null, null, null, "1"))
                .isInstanceOf(FerryException.class).hasMessageContaining("needs a shared catalog")
                .satisfies(e -> assertThat(((FerryException) e).hint()).contains("--catalog-secret"));
        assertThatThrownBy(() -> new ReleaseSpec("ml", "i", "s3://b/p", "data", null, "c", null, "1"))
                .isInstanceOf(FerryException.class).hasMessageContaining("two places");
        assertThatThrownBy(() -> AuthorizationRule.parse("trainer=team_*")).isInstanceOf(FerryException.class)
                .hasMessageContaining("invalid --allow");
        assertThatThrownBy(() -> AuthorizationRule.parse("ml/trainer=team-a")).isInstanceOf(FerryException.class)
                .hasMessageContaining("invalid table glob");
    }

    @Test
    void theServerRunsItsRunsAsJobsWithItsOwnImageAndStoreSettings() {
        ReleaseSpec spec = new ReleaseSpec("ml", "ferry:1", "s3://bucket/ferry", null, null, "ferry-catalog", null, "1.0");
        Deployment d = Manifests.render(spec).stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        var env = d.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
        assertThat(env).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("FERRY_EXECUTOR=kubernetes"))
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("FERRY_IMAGE=ferry:1"))
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("FERRY_NAMESPACE");
                    assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
                });
        var template = KubernetesExecutorProvider.template(java.util.Map.of("FERRY_STORE", "s3://bucket/ferry",
                "FERRY_CATALOG_SECRET", "ferry-catalog"), "ml", "ferry:1", 600);
        assertThat(template.image()).isEqualTo("ferry:1");
        assertThat(template.activeDeadlineSeconds()).isEqualTo(600);
        assertThat(template.env()).anySatisfy(e -> assertThat(e.getValue()).isEqualTo("http://ferry-server.ml.svc:7433"))
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("FERRY_TOKEN");
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("ferry-admin");
                })
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("FERRY_STORE=s3://bucket/ferry"))
                .anySatisfy(e -> assertThat(e.getValueFrom() == null ? "" : e.getValueFrom().getSecretKeyRef().getName())
                        .isEqualTo("ferry-catalog"));
        assertThat(template.volumes()).singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    }
}
