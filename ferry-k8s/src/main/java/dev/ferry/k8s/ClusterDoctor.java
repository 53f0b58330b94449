package dev.ferry.k8s;

import dev.ferry.core.error.FerryException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks the path from this machine to a cluster's Ferry server step by step — kubeconfig, API
 * server, release, token, server pod, port-forward and the server itself — and stops at the first
 * step that fails, since the later ones need it. Each failure carries the error (exit code, message,
 * what to do) the command using that step would have given.
 */
public final class ClusterDoctor {
    private ClusterDoctor() {}

    /** One step: what was checked, what was found, or why it failed. */
    public record Step(String check, String found, FerryException failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * The steps, up to and including the first that fails. {@code serverCheck} is the last: it gets
     * the open link (url and token) and says what the server answered, or throws.
     */
    public static List<Step> run(String kubeconfig, String context, String namespace, Map<String, String> env,
            Function<ClusterLink, String> serverCheck, Function<ClusterLink, String> storeCheck) {
        List<Step> steps = new ArrayList<>();
        ClusterAccess.Connection c;
        try {
            c = ClusterAccess.connect(kubeconfig, context, namespace, env);
            steps.add(new Step("kubeconfig", c.target().source() + ", context " + c.target().context() + ", namespace "
                    + c.target().namespace(), null));
        } catch (FerryException e) {
            steps.add(new Step("kubeconfig", null, e));
            return steps;
        }
        try (c) {
            String ns = c.target().namespace();
            if (!step(steps, "API server", () -> {
                var v = c.client().getKubernetesVersion();
                String version = v.getGitVersion() != null ? v.getGitVersion() : "v" + v.getMajor() + "." + v.getMinor();
                return c.target().server() + " (Kubernetes " + version + ")";
            })) {
                return steps;
            }
            if (!step(steps, "release", () -> {
                Release r = ReleaseFinder.find(c.client(), ns);
                return "Ferry " + r.version() + " (" + r.image() + "), " + r.readyReplicas() + "/" + r.replicas() + " ready";
            })) {
                return steps;
            }
            if (!step(steps, "token", () -> {
                IngestToken t = IngestToken.mint(c.client(), ns);
                return t.source() + (t.expires() == null ? ", does not expire" : ", expires " + t.expires());
            })) {
                return steps;
            }
            ClusterLink[] link = new ClusterLink[1];
            try {
                if (step(steps, "server", () -> {
                    link[0] = ClusterLink.open(kubeconfig, context, namespace, env);
                    return link[0].describe() + ": " + serverCheck.apply(link[0]);
                })) {
                    step(steps, "store", () -> storeCheck.apply(link[0]));
                }
            } finally {
                if (link[0] != null) {
                    link[0].close();
                }
            }
            return steps;
        }
    }

    /** Runs one check into {@code steps}: what it found, or its error; whether it passed. */
    public static boolean step(List<Step> steps, String check, java.util.function.Supplier<String> work) {
        try {
            steps.add(new Step(check, work.get(), null));
            return true;
        } catch (FerryException e) {
            steps.add(new Step(check, null, e));
        } catch (KubernetesClientException e) {
            steps.add(new Step(check, null, ClusterAccess.failure(e, "checking the " + check)));
        }
        return false;
    }
}
