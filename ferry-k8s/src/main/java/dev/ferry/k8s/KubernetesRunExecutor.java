package dev.ferry.k8s;

import dev.ferry.core.run.RunExecutor;
import dev.ferry.core.run.RunTask;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs each run as a Kubernetes Job: {@code ferry worker --run ID} in the server's image, with the
 * store's settings, reporting back over the API. The Job is watched (polled) until its run ends: a Job
 * that fails, is deleted, or ends without the run's end report ends the run {@code failed} with the
 * reason; a run that ends while its Job is still active (cancelled) has the Job deleted. A Job outlives
 * the server that made it: a server that starts after it takes up the run and watches its Job again.
 */
public final class KubernetesRunExecutor implements RunExecutor {
    public static final String RUN_LABEL = "ferry.dev/run";
    public static final String TABLE_LABEL = "ferry.dev/table";

    /** What every Job's pod is made of, besides the run's own arguments and labels. */
    public record JobTemplate(String image, List<EnvVar> env, List<Volume> volumes, List<VolumeMount> mounts,
            Map<String, Quantity> requests, long activeDeadlineSeconds) {
        public JobTemplate {
            env = List.copyOf(env);
            volumes = List.copyOf(volumes);
            mounts = List.copyOf(mounts);
            requests = Map.copyOf(requests);
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final JobTemplate template;
    private final Duration poll;
    private final ExecutorService watchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ferry-job-watch");
        t.setDaemon(true);
        return t;
    });

    public KubernetesRunExecutor(KubernetesClient client, String namespace, JobTemplate template, Duration poll) {
        this.client = client;
        this.namespace = namespace;
        this.template = template;
        this.poll = poll;
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    /** The Job's name for a run: DNS-safe (run ids have capitals), the same every time. */
    public static String jobName(String runId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(runId.getBytes(StandardCharsets.UTF_8));
            return "ferry-run-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void start(RunTask task) {
        String name = jobName(task.runId());
        Map<String, String> labels = new LinkedHashMap<>(Manifests.MANAGED_BY);
        labels.put(Manifests.COMPONENT_LABEL, "worker");
        labels.put(RUN_LABEL, task.runId());
        String table = switch (task.spec()) {
            case dev.ferry.core.run.RunSpec.Upload u -> u.repo();
            case dev.ferry.core.run.RunSpec.Push p -> p.flags() == null ? null : p.flags().table();
        };
        if (table != null && table.matches("[A-Za-z0-9_.-]{1,63}")) {
            labels.put(TABLE_LABEL, table);
        }
        Container worker = new ContainerBuilder().withName("worker").withImage(template.image())
                .withArgs("worker", "--run", task.runId()).withEnv(template.env())
                // the object store's credentials, as the server's own container has them (if the Secret exists)
                .addNewEnvFrom().withNewSecretRef(Manifests.S3_SECRET, true).endEnvFrom()
                .withVolumeMounts(template.mounts())
                .withNewResources().withRequests(template.requests()).endResources().build();
        Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(template.activeDeadlineSeconds())
                .withTtlSecondsAfterFinished(3600)
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withSpec(new PodSpecBuilder().withRestartPolicy("Never").withAutomountServiceAccountToken(false)
                        .withContainers(worker).withVolumes(template.volumes()).build())
                .endTemplate().endSpec().build();
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
        } catch (KubernetesClientException e) {
            task.abandon("its Job could not be created: " + ClusterAccess.failure(e, "creating Job " + name).getMessage());
            return;
        }
        watchInBackground(task, name);
    }

    @Override
    public boolean outlivesServer() {
        return true;
    }

    /** Watches the run's Job again, if it is there: its pod goes on without the server that made it. */
    @Override
    public boolean reattach(RunTask task) {
        String name = jobName(task.runId());
        Job job;
        try {
            job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            return true; // the API server is away for now: the watch asks again, and settles the run if it is gone
        }
        if (job == null) {
            return false;
        }
        watchInBackground(task, name);
        return true;
    }

    private void watchInBackground(RunTask task, String name) {
        watchers.submit(() -> {
            try {
                watch(task, name);
            } catch (RuntimeException e) {
                task.abandon("watching its Job " + name + " failed: " + e); // never a run left without its watch
            }
        });
    }

    private void watch(RunTask task, String name) {
        int endedWithoutReport = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Job job;
            try {
                job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
            } catch (KubernetesClientException e) {
                continue; // the API server is away for now: ask again
            }
            if (!task.ended() && task.cancelRequested() && job != null && !finished(job)) {
                deleteQuietly(name); // 'runs cancel': the Job goes; the run ends when the worker or the watch says so
            }
            if (task.ended()) {
                if (task.cancelRequested() && job != null && !finished(job)) {
                    deleteQuietly(name); // cancelled: whatever the worker still does is not wanted
                }
                return; // else the Job finishes by itself, and its TTL removes it
            }
            if (job == null) {
                task.abandon("its Job " + name + " was deleted before the run ended");
                return;
            }
            if (job.getStatus() != null && job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0) {
                String why = job.getStatus().getConditions() == null ? "" : job.getStatus().getConditions().stream()
                        .filter(c -> "Failed".equals(c.getType())).map(c -> c.getReason() + ": " + c.getMessage())
                        .findFirst().orElse("");
                task.abandon("its Job " + name + " failed" + (why.isEmpty() ? "" : " (" + why + ")"));
                return;
            }
            if (job.getStatus() != null && job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0
                    && ++endedWithoutReport > 3) {
                task.abandon("its Job " + name + " ended without reporting the run's end");
                return;
            }
        }
    }

    /** The log of the run's pod (the worker's own output), while its Job or pod is there. */
    @Override
    public java.util.Optional<WorkerLog> workerLog(String runId) {
        String job = jobName(runId);
        try {
            if (client.batch().v1().jobs().inNamespace(namespace).withName(job).get() == null && pod(runId) == null) {
                return java.util.Optional.empty(); // never a Job's, or removed after its TTL: the events are what is left
            }
        } catch (KubernetesClientException e) {
            throw ClusterAccess.failure(e, "reading Job " + job);
        }
        return java.util.Optional.of((out, follow) -> copyLog(runId, job, out, follow));
    }

    /** The newest pod of the run's Job, or null before the Job's controller made one. */
    private Pod pod(String runId) {
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel(RUN_LABEL, runId).list().getItems();
        return pods.stream().max(java.util.Comparator.comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp())))
                .orElse(null);
    }

    private void copyLog(String runId, String job, java.io.OutputStream out, boolean follow) throws java.io.IOException {
        Pod pod;
        boolean told = false;
        while (true) {
            pod = pod(runId);
            if (pod != null && !"Pending".equals(phase(pod))) {
                break;
            }
            if (!follow) {
                return; // no output yet
            }
            if (!told) {
                out.write(("[ferry] waiting for the pod of Job " + job + " to start\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                told = true;
            }
            Job j = client.batch().v1().jobs().inNamespace(namespace).withName(job).get();
            if (j == null || finished(j)) {
                pod = pod(runId);
                if (pod == null || "Pending".equals(phase(pod))) {
                    return; // it ended (or went) without its container running: the run's events say why
                }
                break;
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        var logs = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).inContainer("worker");
        try {
            if (!follow) {
                try (java.io.InputStream in = logs.getLogInputStream()) {
                    in.transferTo(out);
                }
                return;
            }
            try (var watch = logs.watchLog(); java.io.InputStream in = watch.getOutput()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush(); // a line as soon as the pod writes it
                }
            }
        } catch (KubernetesClientException e) {
            throw ClusterAccess.failure(e, "reading the log of pod " + pod.getMetadata().getName());
        }
    }

    /** The pod's phase; one without a status yet is Pending, as the API server would say. */
    private static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    private static boolean finished(Job job) {
        var s = job.getStatus();
        return s != null && ((s.getSucceeded() != null && s.getSucceeded() > 0) || (s.getFailed() != null && s.getFailed() > 0));
    }

    private void deleteQuietly(String name) {
        try {
            client.batch().v1().jobs().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            // it finishes or times out by itself (activeDeadlineSeconds)
        }
    }

    @Override
    public void close() {
        watchers.shutdownNow();
    }
}
