package dev.ferry.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PodTunnel} carries every byte, both ways, in order, at full speed: the API server's side is
 * fabric8's mock with {@link PortForwardStandIn} as the kubelet (fabric8's own port-forward with the JDK
 * client dropped a message whenever a send overlapped the previous one; this is the test that found it).
 */
class PortForwardIntegrityTest {
    private static final int MEGABYTES = 40;

    @TempDir
    Path tmp;

    @Test
    void fortyMegabytesGoUpAndComeBackIntact() throws Exception {
        try (MockCluster cluster = MockCluster.start(tmp); KubernetesClient kube = ClusterAccess.connect(
                cluster.kubeconfig().toString(), null, "ml", java.util.Map.of()).client();
                ServerSocket pod = new ServerSocket(0)) {
            kube.pods().inNamespace("ml").resource(new PodBuilder().withNewMetadata().withName("p").withNamespace("ml")
                    .endMetadata().build()).create();
            MockCluster.Forwarding forwarding = cluster.forwardPodsTo(pod.getLocalPort());
            // the pod's end echoes what it reads, and says what it read
            // own threads, not the common pool: on two cores it has one thread, which the HTTP client needs too
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
            CompletableFuture<String> podSaw = CompletableFuture.supplyAsync(() -> {
                try (Socket s = pod.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    byte[] b = new byte[65536];
                    long total = 0;
                    for (int n; total < ((long) MEGABYTES << 20) && (n = in.read(b)) >= 0; ) {
                        md.update(b, 0, n);
                        out.write(b, 0, n);
                        total += n;
                    }
                    return HexFormat.of().formatHex(md.digest());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            try (PodTunnel tunnel = PodTunnel.open(kube, "ml", "p", 7433);
                    Socket c = new Socket("127.0.0.1", tunnel.localPort())) {
                CompletableFuture<String> echoed = CompletableFuture.supplyAsync(() -> {
                    try {
                        InputStream in = c.getInputStream(); // not closed here: that would close the socket
                        MessageDigest md = MessageDigest.getInstance("SHA-256");
                        byte[] b = new byte[65536];
                        long total = 0;
                        for (int n; total < ((long) MEGABYTES << 20) && (n = in.read(b)) >= 0; ) {
                            md.update(b, 0, n);
                            total += n;
                        }
                        return HexFormat.of().formatHex(md.digest());
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, threads);
                OutputStream out = c.getOutputStream();
                Random r = new Random(1);
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < MEGABYTES; i++) {
                    r.nextBytes(chunk);
                    sent.update(chunk);
                    out.write(chunk);
                }
                out.flush();
                String expected = HexFormat.of().formatHex(sent.digest());
                assertThat(podSaw.get(60, TimeUnit.SECONDS)).as("what the pod read").isEqualTo(expected);
                assertThat(echoed.get(60, TimeUnit.SECONDS)).as("what came back").isEqualTo(expected);
            }
            assertThat(forwarding.bytesUp()).isEqualTo((long) MEGABYTES << 20);
            threads.shutdownNow();
        }
    }
}
