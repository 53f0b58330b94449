package dev.ferry.k8s;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.run.RunExecutor;
import dev.ferry.core.run.RunExecutorProvider;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A server of a cluster release ({@value #EXECUTOR_ENV}=kubernetes, as its Deployment sets) runs each
 * run as a Job in its own namespace, in its own image, with its own store settings: the worker reaches
 * the server through its Service and the admin token's Secret.
 */
public final class KubernetesExecutorProvider implements RunExecutorProvider {
    public static final String EXECUTOR_ENV = "FERRY_EXECUTOR";
    public static final String NAMESPACE_ENV = "FERRY_NAMESPACE";
    public static final String IMAGE_ENV = "FERRY_IMAGE";
    public static final String PVC_ENV = "FERRY_PVC";
    public static final String CATALOG_SECRET_ENV = "FERRY_CATALOG_SECRET";
    /** What each run's Job requests (Kubernetes quantities). */
    public static final String WORKER_CPU_ENV = "FERRY_WORKER_CPU";
    public static final String WORKER_MEMORY_ENV = "FERRY_WORKER_MEMORY";
    /** A run's Job is stopped after this long (activeDeadlineSeconds). */
    public static final String DEADLINE_ENV = "FERRY_RUN_DEADLINE";

    @Override
    public Optional<RunExecutor> create(Map<String, String> env) {
        if (!"kubernetes".equals(env.get(EXECUTOR_ENV))) {
            return Optional.empty();
        }
        String ns = env.get(NAMESPACE_ENV);
        String image = env.get(IMAGE_ENV);
        if (ns == null || image == null) {
            throw FerryException.invalid(EXECUTOR_ENV + "=kubernetes needs " + NAMESPACE_ENV + " and " + IMAGE_ENV,
                    "install with 'ferry cluster install', whose Deployment sets them");
        }
        var client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
        long deadline = env.containsKey(DEADLINE_ENV) ? Long.parseLong(env.get(DEADLINE_ENV))
                : ReleaseSpec.Workers.DEFAULT.deadline().toSeconds();
        return Optional.of(new KubernetesRunExecutor(client, ns, template(env, ns, image, deadline), Duration.ofSeconds(2)));
    }

    /** The worker's pod: the server's image and store settings, the Service's URL, the admin token's Secret. */
    public static KubernetesRunExecutor.JobTemplate template(Map<String, String> env, String ns, String image, long deadline) {
        List<EnvVar> vars = new ArrayList<>(List.of(
                new EnvVar("FERRY_SERVER", "http://" + Manifests.SERVER + "." + ns + ".svc:" + Manifests.PORT, null),
                new EnvVarBuilder().withName("FERRY_TOKEN").withNewValueFrom()
                        .withNewSecretKeyRef("token", Manifests.ADMIN_SECRET, false).endValueFrom().build(),
                new EnvVar("FERRY_HOME", Manifests.HOME, null)));
        if (env.get("FERRY_STORE") != null) {
            vars.add(new EnvVar("FERRY_STORE", env.get("FERRY_STORE"), null));
        }
        if (env.get(CATALOG_SECRET_ENV) != null) {
            vars.add(new EnvVarBuilder().withName("FERRY_CATALOG").withNewValueFrom()
                    .withNewSecretKeyRef("url", env.get(CATALOG_SECRET_ENV), false).endValueFrom().build());
        }
        String pvc = env.get(PVC_ENV);
        Volume data = pvc != null ? new VolumeBuilder().withName("data").withNewPersistentVolumeClaim(pvc, false).build()
                : new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build();
        VolumeMount mount = new VolumeMountBuilder().withName("data").withMountPath(Manifests.HOME).build();
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put("cpu", new Quantity(env.getOrDefault(WORKER_CPU_ENV, ReleaseSpec.Workers.DEFAULT.cpu())));
        requests.put("memory", new Quantity(env.getOrDefault(WORKER_MEMORY_ENV, ReleaseSpec.Workers.DEFAULT.memory())));
        return new KubernetesRunExecutor.JobTemplate(image, vars, List.of(data), List.of(mount), requests, deadline);
    }
}
