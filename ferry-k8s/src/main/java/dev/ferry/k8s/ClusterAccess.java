package dev.ferry.k8s;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A connection to a cluster the way kubectl makes it: {@code --kubeconfig}, else KUBECONFIG, else
 * {@code ~/.kube/config}, else the pod's own ServiceAccount when running in a cluster; {@code --context}
 * picks a context, else the kubeconfig's current one. Problems with the kubeconfig are exit 3; a
 * cluster that does not answer is exit 4; RBAC refusals are exit 5 ({@link #failure}).
 */
public final class ClusterAccess {
    private ClusterAccess() {}

    /** Where the connection came from and what it talks to, for {@code cluster info}. */
    public record Target(String source, String context, String server, String namespace) {}

    public record Connection(KubernetesClient client, Target target) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /**
     * Connects as kubectl would. {@code namespace} (or null: the context's, else "default") is the
     * namespace the release is looked for in.
     */
    public static Connection connect(String kubeconfig, String context, String namespace, Map<String, String> env) {
        Config config;
        String source;
        if (kubeconfig != null) {
            File file = Path.of(kubeconfig).toFile();
            if (!file.isFile()) {
                throw new FerryException(ErrorCode.LOCAL_PATH, "kubeconfig " + kubeconfig + " does not exist",
                        "check --kubeconfig");
            }
            config = load(() -> Config.fromKubeconfig(context, file), kubeconfig);
            source = kubeconfig;
        } else {
            String fromEnv = env.get("KUBECONFIG");
            Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".kube", "config");
            String first = fromEnv != null && !fromEnv.isBlank() ? fromEnv.split(File.pathSeparator)[0] : null;
            if (first != null) {
                if (!Files.isRegularFile(Path.of(first))) {
                    throw new FerryException(ErrorCode.LOCAL_PATH, "KUBECONFIG names " + first + ", which does not exist",
                            "fix KUBECONFIG, or pass --kubeconfig FILE");
                }
                config = load(() -> Config.fromKubeconfig(context, Path.of(first).toFile()), first);
                source = first;
            } else if (Files.isRegularFile(home)) {
                config = load(() -> Config.fromKubeconfig(context, home.toFile()), home.toString());
                source = home.toString();
            } else if (env.containsKey("KUBERNETES_SERVICE_HOST")) {
                config = load(() -> Config.autoConfigure(null), "the pod's ServiceAccount");
                source = "in-cluster ServiceAccount";
            } else {
                throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "no kubeconfig: KUBECONFIG is not set and "
                        + home + " does not exist", "pass --kubeconfig FILE, or set KUBECONFIG as for kubectl");
            }
        }
        if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
            String known = config.getContexts() == null ? "" : String.join(", ", config.getContexts().stream()
                    .map(c -> c.getName()).toList());
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "the kubeconfig " + source + " has no context '" + context
                    + "'" + (known.isEmpty() ? "" : " (it has: " + known + ")"), "pass one of its contexts with --context");
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "the kubeconfig " + source + " names no cluster"
                    + (context == null ? "" : " for context '" + context + "'"), "check it with 'kubectl config view'");
        }
        String ns = namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
        config.setNamespace(ns);
        String contextName = config.getCurrentContext() == null ? null : config.getCurrentContext().getName();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        return new Connection(client, new Target(source, contextName, config.getMasterUrl(), ns));
    }

    private static Config load(java.util.function.Supplier<Config> loader, String source) {
        try {
            return loader.get();
        } catch (RuntimeException e) { // fabric8's own, or the YAML parser's for a file that is not one
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new FerryException(ErrorCode.LOCAL_ENVIRONMENT, "cannot use the kubeconfig " + source + ": " + why,
                    "check it with 'kubectl config view' (and --context: 'kubectl config get-contexts')", e);
        }
    }

    /**
     * What a failed call to the cluster means for the user: RBAC (exit 5, naming what was refused),
     * an unreachable or failing API server (exit 4).
     */
    public static FerryException failure(KubernetesClientException e, String doing) {
        int code = e.getCode();
        if (code == 401) {
            return new FerryException(ErrorCode.UNAUTHORIZED, "the cluster did not accept the kubeconfig's credentials while "
                    + doing, "log in to the cluster again (kubectl would fail the same way)", e);
        }
        if (code == 403) {
            String what = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            return new FerryException(ErrorCode.FORBIDDEN, "the cluster's RBAC refused " + doing + ": " + what,
                    "ask for the role this needs (docs/kubernetes.md lists them; the release's 'ferry-client' Role for users)", e);
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new FerryException(ErrorCode.UNREACHABLE, "the cluster's API server failed while " + doing + ": "
                + (code > 0 ? "HTTP " + code + " " : "") + root.getMessage(),
                "check that the cluster is up ('kubectl cluster-info')", e);
    }
}
