package dev.ferry.k8s;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/** Finds the Ferry release of a namespace by its labels. */
public final class ReleaseFinder {
    private ReleaseFinder() {}

    /** The release in {@code namespace}; UNREACHABLE (exit 4) naming the namespace when there is none. */
    public static Release find(KubernetesClient client, String namespace) {
        List<Deployment> servers;
        try {
            servers = client.apps().deployments().inNamespace(namespace).withLabels(Manifests.MANAGED_BY).list().getItems();
        } catch (KubernetesClientException e) {
            throw ClusterAccess.failure(e, "listing the deployments of namespace " + namespace);
        }
        Deployment server = servers.stream().filter(d -> Manifests.SERVER.equals(d.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new FerryException(ErrorCode.UNREACHABLE, "Ferry is not installed in namespace '"
                        + namespace + "'", "install it with 'ferry cluster install -n " + namespace
                        + " --image ...', or name the namespace it is in with -n"));
        Service service;
        try {
            service = client.services().inNamespace(namespace).withName(Manifests.SERVER).get();
        } catch (KubernetesClientException e) {
            throw ClusterAccess.failure(e, "reading the service of the Ferry release in " + namespace);
        }
        if (service == null) {
            throw new FerryException(ErrorCode.UNREACHABLE, "the Ferry release in '" + namespace + "' has no service "
                    + Manifests.SERVER, "install it again: 'ferry cluster install -n " + namespace + " ...'");
        }
        var labels = server.getMetadata().getLabels();
        var container = server.getSpec().getTemplate().getSpec().getContainers().getFirst();
        var status = server.getStatus();
        return new Release(namespace, server.getMetadata().getName(),
                labels == null ? "unknown" : labels.getOrDefault(Manifests.VERSION_LABEL, "unknown"), container.getImage(),
                server.getSpec().getReplicas() == null ? 1 : server.getSpec().getReplicas(),
                status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas(),
                service.getMetadata().getName(), Manifests.PORT);
    }
}
