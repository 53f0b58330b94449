package dev.ferry.k8s;

/**
 * A Ferry release found in a namespace: its server Deployment, the version it runs, how ready it is,
 * and the Service the CLI reaches it through (by port-forward over the API server: no ingress needed).
 */
public record Release(String namespace, String deployment, String version, String image, int replicas,
        int readyReplicas, String service, int port) {
    public boolean ready() {
        return readyReplicas > 0;
    }
}
