package dev.ferry.k8s;

import dev.ferry.core.error.FerryException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Applies a release's manifests, and removes them again. */
public final class Installer {
    private final KubernetesClient client;

    public Installer(KubernetesClient client) {
        this.client = client;
    }

    /** What an install or uninstall did to one object. */
    public record Change(String kind, String name, String action) {}

    /**
     * Creates the namespace if needed, the admin token's Secret if absent (its token is never printed:
     * read it with kubectl if you need it), then creates or updates every object of the release.
     */
    public List<Change> install(ReleaseSpec spec) {
        List<Change> changes = new ArrayList<>();
        String ns = spec.namespace();
        try {
            if (client.namespaces().withName(ns).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
                changes.add(new Change("Namespace", ns, "created"));
            }
            if (client.secrets().inNamespace(ns).withName(Manifests.ADMIN_SECRET).get() == null) {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(Manifests.ADMIN_SECRET)
                        .withNamespace(ns).withLabels(Map.of(Manifests.NAME_LABEL, "ferry", Manifests.MANAGED_LABEL, "ferry"))
                        .endMetadata().withType("Opaque")
                        .addToStringData("token", "fy_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                        .build()).create();
                changes.add(new Change("Secret", Manifests.ADMIN_SECRET, "created"));
            }
            for (HasMetadata object : Manifests.render(spec)) {
                boolean existed = client.resource(object).get() != null;
                client.resource(object).createOr(o -> o.update());
                changes.add(new Change(object.getKind(), object.getMetadata().getName(), existed ? "updated" : "created"));
            }
        } catch (KubernetesClientException e) {
            throw ClusterAccess.failure(e, "installing Ferry in namespace " + ns);
        }
        return changes;
    }

    /**
     * Deletes what an install made in {@code namespace} (and its cluster-wide TokenReview binding). The
     * data stays unless {@code purge}: the PVC the install made, and the admin token's Secret.
     */
    public List<Change> uninstall(String namespace, boolean purge) {
        List<Change> changes = new ArrayList<>();
        try {
            List<HasMetadata> found = new ArrayList<>();
            found.addAll(client.apps().deployments().inNamespace(namespace).withLabels(Manifests.MANAGED_BY).list().getItems());
            found.addAll(client.services().inNamespace(namespace).withLabels(Manifests.MANAGED_BY).list().getItems());
            found.addAll(client.configMaps().inNamespace(namespace).withLabels(Manifests.MANAGED_BY).list().getItems());
            found.addAll(client.rbac().roleBindings().inNamespace(namespace).withLabels(Manifests.MANAGED_BY).list().getItems());
            found.addAll(client.rbac().roles().inNamespace(namespace).withLabels(Manifests.MANAGED_BY).list().getItems());
            found.addAll(client.serviceAccounts().inNamespace(namespace).withLabels(Manifests.MANAGED_BY).list().getItems());
            Map<String, String> clusterWide = Map.of(Manifests.MANAGED_LABEL, "ferry", "ferry.dev/namespace", namespace);
            found.addAll(client.rbac().clusterRoleBindings().withLabels(clusterWide).list().getItems());
            found.addAll(client.rbac().clusterRoles().withLabels(clusterWide).list().getItems());
            if (purge) {
                found.addAll(client.persistentVolumeClaims().inNamespace(namespace).withLabels(Manifests.MANAGED_BY).list().getItems());
                found.addAll(client.secrets().inNamespace(namespace).withLabels(Manifests.MANAGED_BY).list().getItems());
            }
            if (found.isEmpty()) {
                throw new FerryException(dev.ferry.core.error.ErrorCode.UNREACHABLE, "Ferry is not installed in namespace '"
                        + namespace + "'", "name the namespace it is in with -n");
            }
            for (HasMetadata object : found) {
                client.resource(object).delete();
                changes.add(new Change(object.getKind(), object.getMetadata().getName(), "deleted"));
            }
        } catch (KubernetesClientException e) {
            throw ClusterAccess.failure(e, "uninstalling Ferry from namespace " + namespace);
        }
        return changes;
    }

}
