package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a kubelet does with a Job, for tests: when a Job appears in the namespace, runs its container's
 * arguments as a process (after {@code command}, e.g. a JVM with the test's class path), with the
 * container's environment (plain values, and Secret keys read from the API as a kubelet would), the
 * cluster's service names and the pod's mount paths mapped to this machine; then sets the Job's status
 * as the Job controller would: succeeded, or failed with a reason. Each Job gets a pod (labels of its
 * template, phase Running, then Succeeded or Failed) whose log the API serves ({@link #serveLogsOn}).
 * A Job whose image is {@link #FAILING} fails without running (an image that cannot be pulled); one whose
 * image is {@link #PENDING} never starts; while {@link #hold} holds, new Jobs wait to start.
 */
public final class KubeletStandIn implements AutoCloseable {
    public static final String FAILING = "registry.invalid/no-such-image:1";
    /** A Job with this image stays pending: its pod never starts (no node has room). */
    public static final String PENDING = "registry.example/pending:1";

    private final KubernetesClient client;
    private final String namespace;
    private final List<String> command;
    private final Map<String, String> rewrites;
    private final Path logs;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean held;

    /** @param rewrites substrings of environment values to replace: service URLs, mount paths */
    public KubeletStandIn(KubernetesClient client, String namespace, List<String> command, Map<String, String> rewrites,
            Path logs) throws IOException {
        this.client = client;
        this.namespace = namespace;
        this.command = List.copyOf(command);
        this.rewrites = Map.copyOf(rewrites);
        this.logs = Files.createDirectories(logs);
        this.poller = new Thread(this::poll, "kubelet-stand-in");
        poller.setDaemon(true);
        poller.start();
    }

    /** Jobs that appear from now on wait to start until {@link #release}. */
    public void hold() {
        held = true;
    }

    public void release() {
        held = false;
    }

    /** The pod of each Job, by the Job's name. */
    public static String podName(String job) {
        return job + "-x7k2p";
    }

    /**
     * The API serves each pod's log as a kubelet would: what the process wrote so far, or for a followed
     * log, all it wrote once it ended (fabric8's mock server cannot stream a response, so the answer
     * waits, holding one of the mock's event loops meanwhile).
     */
    public void serveLogsOn(MockCluster cluster) {
        String prefix = "/api/v1/namespaces/" + namespace + "/pods/";
        cluster.answer(r -> r.getMethod().equals("GET") && r.getPath().startsWith(prefix) && r.getPath().contains("/log"), 200,
                request -> {
                    String pod = request.getPath().substring(prefix.length()).split("/")[0];
                    String job = pod.substring(0, pod.lastIndexOf('-'));
                    try {
                        Process p = running.get(job);
                        if (p != null && request.getPath().contains("follow=true")) {
                            p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
                        }
                        return log(job);
                    } catch (IOException e) {
                        return "";
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return "";
                    }
                });
    }

    /** The Jobs this kubelet has started, by name. */
    public Set<String> started() {
        return Set.copyOf(seen);
    }

    /** A Job's output (stdout and stderr). */
    public String log(String job) throws IOException {
        Path file = logs.resolve(job + ".log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private void poll() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
                    if (seen.add(job.getMetadata().getName())) {
                        Thread t = new Thread(() -> run(job), "pod-" + job.getMetadata().getName());
                        t.setDaemon(true);
                        t.start();
                    }
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the API away for a moment: poll again
            }
        }
    }

    private void run(Job job) {
        String name = job.getMetadata().getName();
        Container c = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        if (PENDING.equals(c.getImage())) {
            return;
        }
        if (FAILING.equals(c.getImage())) {
            setStatus(name, false, "ImagePullBackOff", "cannot pull image " + c.getImage());
            return;
        }
        while (held) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
        if (client.batch().v1().jobs().inNamespace(namespace).withName(name).get() == null) {
            return; // deleted while it waited
        }
        List<String> argv = new ArrayList<>(command);
        argv.addAll(c.getArgs());
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_") || k.startsWith("AWS_") || k.equals("KUBECONFIG"));
        for (var from : c.getEnvFrom() == null ? List.<io.fabric8.kubernetes.api.model.EnvFromSource>of() : c.getEnvFrom()) {
            Secret secret = from.getSecretRef() == null ? null
                    : client.secrets().inNamespace(namespace).withName(from.getSecretRef().getName()).get();
            if (secret != null) {
                (secret.getStringData() == null ? Map.<String, String>of() : secret.getStringData()).forEach(pb.environment()::put);
            }
        }
        for (EnvVar e : c.getEnv()) {
            pb.environment().put(e.getName(), rewrite(value(e)));
        }
        try {
            Process p = pb.start();
            running.put(name, p);
            setPodPhase(job, "Running");
            int exit = p.waitFor();
            running.remove(name);
            setPodPhase(job, exit == 0 ? "Succeeded" : "Failed");
            if (client.batch().v1().jobs().inNamespace(namespace).withName(name).get() == null) {
                return; // deleted meanwhile
            }
            setStatus(name, exit == 0, "BackoffLimitExceeded", "the worker exited with " + exit);
        } catch (IOException e) {
            setStatus(name, false, "StartError", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes or updates the Job's pod, as the Job controller and the kubelet would. */
    private void setPodPhase(Job job, String phase) {
        String name = podName(job.getMetadata().getName());
        var pods = client.pods().inNamespace(namespace);
        Map<String, String> labels = new java.util.HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("job-name", job.getMetadata().getName());
        Pod pod = pods.withName(name).get();
        if (pod == null) {
            pod = pods.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
                    .endMetadata().withSpec(job.getSpec().getTemplate().getSpec()).withNewStatus().withPhase("Pending")
                    .endStatus().build()).create();
        }
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase).build());
        pods.resource(pod).updateStatus();
    }

    private String value(EnvVar e) {
        if (e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null) {
            return e.getValue() == null ? "" : e.getValue();
        }
        var ref = e.getValueFrom().getSecretKeyRef();
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (secret == null) {
            return "";
        }
        if (secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())) {
            return secret.getStringData().get(ref.getKey());
        }
        String data = secret.getData() == null ? null : secret.getData().get(ref.getKey());
        return data == null ? "" : new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }

    private String rewrite(String value) {
        for (var r : rewrites.entrySet()) {
            value = value.replace(r.getKey(), r.getValue());
        }
        return value;
    }

    private void setStatus(String name, boolean succeeded, String reason, String message) {
        Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        if (job == null) {
            return;
        }
        job.setStatus(succeeded ? new JobStatusBuilder().withSucceeded(1).build()
                : new JobStatusBuilder().withFailed(1).withConditions(new JobConditionBuilder().withType("Failed")
                        .withStatus("True").withReason(reason).withMessage(message).build()).build());
        client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
    }

    @Override
    public void close() {
        poller.interrupt();
        running.values().forEach(Process::destroyForcibly);
    }
}
