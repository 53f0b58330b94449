package dev.ferry.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * A Kubernetes API for tests: fabric8's mock server in CRUD mode (objects are stored and listed as by
 * an API server), answers of its own set with {@link #answer} taking precedence (what CRUD cannot do:
 * an RBAC refusal, a TokenReview), and a kubeconfig for it.
 */
public final class MockCluster implements AutoCloseable {
    private final KubernetesMockServer server;
    private final Path kubeconfig;
    private final Dispatcher dispatcher;

    private MockCluster(KubernetesMockServer server, Path kubeconfig, Dispatcher dispatcher) {
        this.server = server;
        this.kubeconfig = kubeconfig;
        this.dispatcher = dispatcher;
    }

    /** What a request gets instead of the CRUD store's answer, while {@code matches} says so. */
    public record Answer(java.util.function.Predicate<RecordedRequest> matches, int status,
            java.util.function.Function<RecordedRequest, String> json) {}

    /** The CRUD store, after any {@link Answer} that matches. */
    private static final class Dispatcher extends KubernetesCrudDispatcher {
        final java.util.List<Answer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.List<java.util.function.Function<RecordedRequest, io.fabric8.mockwebserver.http.WebSocketListener>> upgrades =
                new java.util.concurrent.CopyOnWriteArrayList<>();

        /** Whether the CRUD store holds the object at {@code path} (asked directly, not over the network). */
        boolean exists(String path) {
            return super.dispatch(new RecordedRequest("HTTP/1.1", io.fabric8.mockwebserver.dsl.HttpMethod.GET, path,
                    io.fabric8.mockwebserver.http.Headers.builder().build(), new io.fabric8.mockwebserver.http.Buffer())).code() == 200;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            for (var upgrade : upgrades) {
                var listener = upgrade.apply(request);
                if (listener != null) {
                    return new MockResponse().withWebSocketUpgrade(listener);
                }
            }
            for (int i = answers.size() - 1; i >= 0; i--) { // the newest answer wins
                Answer a = answers.get(i);
                if (a.matches().test(request)) {
                    return new MockResponse().setResponseCode(a.status()).setHeader("Content-Type", "application/json")
                            .setBody(a.json().apply(request));
                }
            }
            return super.dispatch(request);
        }
    }

    /**
     * From now on, port-forwards to any pod reach {@code port} on this machine (the kubelet's part,
     * played by {@link PortForwardStandIn}: one TCP connection per websocket the client opens).
     */
    public Forwarding forwardPodsTo(int port) {
        Forwarding forwarding = new Forwarding();
        // only to pods that exist, as a kubelet would: a forward to a pod that went fails (404)
        dispatcher.upgrades.add(r -> {
            if (!r.getPath().contains("/portforward")) {
                return null;
            }
            String pod = r.getPath().split("/portforward")[0];
            if (!dispatcher.exists(pod)) {
                return null;
            }
            forwarding.pods.add(pod.substring(pod.lastIndexOf('/') + 1));
            return new PortForwardStandIn(port, forwarding);
        });
        return forwarding;
    }

    /** What the port-forwards carried towards the pods, and a break to come. */
    public static final class Forwarding {
        private final java.util.concurrent.atomic.AtomicLong up = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong breakAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        private final java.util.Set<String> pods = java.util.concurrent.ConcurrentHashMap.newKeySet();

        /** The pods connections were forwarded to. */
        public java.util.Set<String> pods() {
            return java.util.Set.copyOf(pods);
        }

        /** Bytes carried from clients to the pod so far. */
        public long bytesUp() {
            return up.get();
        }

        /** Once {@code bytes} more have been carried up, the forward carrying them breaks (once). */
        public void breakAfter(long bytes) {
            breakAt.set(up.get() + bytes);
        }

        /** Counts bytes carried up; true when this is where the forward breaks. */
        boolean carried(long bytes) {
            long total = up.addAndGet(bytes);
            long at = breakAt.get();
            return total > at && breakAt.compareAndSet(at, Long.MAX_VALUE);
        }
    }

    /** The cluster's TokenReview: a token "sa:NS:NAME" is that ServiceAccount's (audience ferry); others are not valid. */
    public void reviewServiceAccountTokens() {
        answer(r -> r.getMethod().equals("POST") && r.getPath().startsWith("/apis/authentication.k8s.io/v1/tokenreviews"), 201,
                request -> {
                    String token = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(request.getUtf8Body(),
                            io.fabric8.kubernetes.api.model.authentication.TokenReview.class).getSpec().getToken();
                    var status = new io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder().withNewStatus();
                    if (token.startsWith("sa:")) {
                        String[] p = token.split(":");
                        status.withAuthenticated(true).withNewUser().withUsername("system:serviceaccount:" + p[1] + ":" + p[2])
                                .endUser();
                    } else {
                        status.withAuthenticated(false);
                    }
                    return io.fabric8.kubernetes.client.utils.Serialization.asJson(status.endStatus().build());
                });
    }

    /** The cluster's TokenRequest for ferry-ingest accounts: always {@code token}, expiring at 2026-12-07T12:00:00Z. */
    public void mintIngestTokens(String token) {
        answer(r -> r.getMethod().equals("POST") && r.getPath().endsWith("/serviceaccounts/ferry-ingest/token"), 201,
                io.fabric8.kubernetes.client.utils.Serialization.asJson(
                        new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewStatus().withToken(token)
                                .withExpirationTimestamp("2026-12-07T12:00:00Z").endStatus().build()));
    }

    /** From now on, requests that {@code matches} accepts get this answer (over any older one that matches). */
    public void answer(java.util.function.Predicate<RecordedRequest> matches, int status, String json) {
        answer(matches, status, request -> json);
    }

    /** From now on, requests that {@code matches} accepts get the answer {@code json} makes of them. */
    public void answer(java.util.function.Predicate<RecordedRequest> matches, int status,
            java.util.function.Function<RecordedRequest, String> json) {
        dispatcher.answers.add(new Answer(matches, status, json));
    }

    /** From now on, {@code method} requests whose path starts with {@code pathPrefix} are refused by RBAC (403). */
    public void forbid(String method, String pathPrefix, String message) {
        answer(r -> r.getMethod().equalsIgnoreCase(method) && r.getPath().startsWith(pathPrefix), 403,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\","
                        + "\"code\":403,\"message\":\"" + message.replace("\"", "\\\"") + "\"}");
    }

    /** Starts the API and writes a kubeconfig for it (context "mock", namespace "default") into {@code dir}. */
    public static MockCluster start(Path dir) throws IOException {
        Dispatcher dispatcher = new Dispatcher();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init();
        String url = "http://" + server.getHostName() + ":" + server.getPort();
        Path kubeconfig = Files.writeString(Files.createDirectories(dir).resolve("kubeconfig"), String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: mock",
                "  cluster:",
                "    server: " + url,
                "contexts:",
                "- name: mock",
                "  context:",
                "    cluster: mock",
                "    user: tester",
                "    namespace: default",
                "- name: elsewhere",
                "  context:",
                "    cluster: mock",
                "    user: tester",
                "    namespace: other",
                "current-context: mock",
                "users:",
                "- name: tester",
                "  user:",
                "    token: test-token",
                ""));
        return new MockCluster(server, kubeconfig, dispatcher);
    }

    public KubernetesMockServer server() {
        return server;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A client of this API (as the tests' own view of the cluster). */
    public KubernetesClient client() {
        return server.createClient();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
