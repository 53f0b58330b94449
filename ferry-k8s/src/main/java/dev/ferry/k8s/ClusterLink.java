package dev.ferry.k8s;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.Map;

/**
 * A cluster's Ferry server as the CLI reaches it: the release found through the kubeconfig, a token
 * for its {@code ferry-ingest} ServiceAccount, and a port-forward to a ready server pod over the API
 * server (no ingress, no kubectl). Open for as long as the command that uses it; closing it ends the
 * forward.
 *
 * @param url     where the forward listens on this machine (http://127.0.0.1:PORT)
 * @param cacheKey what names this server for the upload stat caches: stable across commands, unlike
 *                the forward's port
 */
public record ClusterLink(String url, String token, String cacheKey, String describe, AutoCloseable resources)
        implements AutoCloseable {

    public static ClusterLink open(String kubeconfig, String context, String namespace, Map<String, String> env) {
        ClusterAccess.Connection c = ClusterAccess.connect(kubeconfig, context, namespace, env);
        try {
            String ns = c.target().namespace();
            Release release = ReleaseFinder.find(c.client(), ns);
            IngestToken token = IngestToken.mint(c.client(), ns);
            Pod pod = readyServerPod(c, ns);
            PodTunnel forward = PodTunnel.open(c.client(), ns, () -> readyServerPod(c, ns).getMetadata().getName(),
                    release.port());
            AutoCloseable resources = () -> {
                try {
                    forward.close();
                } finally {
                    c.close();
                }
            };
            return new ClusterLink("http://127.0.0.1:" + forward.localPort(), token.token(),
                    "kubernetes:" + c.target().server() + "/" + ns,
                    "Ferry in namespace " + ns + " of " + c.target().server() + " (pod " + pod.getMetadata().getName() + ")",
                    resources);
        } catch (KubernetesClientException e) {
            c.close();
            throw ClusterAccess.failure(e, "reaching the Ferry server by port-forward");
        } catch (java.io.IOException e) {
            c.close();
            throw new dev.ferry.core.error.FerryException(dev.ferry.core.error.ErrorCode.LOCAL_ENVIRONMENT,
                    "cannot listen on a local port for the port-forward: " + e.getMessage(), "check this machine's loopback network");
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A Running, ready pod of the release's server. */
    private static Pod readyServerPod(ClusterAccess.Connection c, String ns) {
        try {
            return c.client().pods().inNamespace(ns).withLabels(Manifests.selector()).list().getItems().stream()
                    .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                            && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                                    .anyMatch(k -> "Ready".equals(k.getType()) && "True".equals(k.getStatus())))
                    .findFirst()
                    .orElseThrow(() -> new FerryException(ErrorCode.UNREACHABLE, "the Ferry server in namespace '" + ns
                            + "' has no ready pod", "see 'ferry cluster info -n " + ns + "' and 'kubectl -n " + ns
                            + " describe deployment/" + Manifests.SERVER + "'"));
        } catch (KubernetesClientException e) {
            throw ClusterAccess.failure(e, "listing the pods of the Ferry server in " + ns);
        }
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (IOException e) {
            // a forward that will not close cleanly ends with the process
        } catch (Exception e) {
            // as above
        }
    }
}
