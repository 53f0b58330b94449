package dev.ferry.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A port-forward to a pod over the API server (the {@code v4.channel.k8s.io} protocol: each local
 * connection is a websocket whose messages start with a channel byte, 0 data and 1 errors, the first on
 * each channel naming the port), with backpressure: one message in flight at a time.
 *
 * <p>Ours rather than fabric8's {@code portForward}, whose pump ignores the result of each send: with the
 * JDK HTTP client a send made while the previous one is still pending fails ("Send pending") and its
 * bytes are dropped, so a large upload arrived with holes (the server's digest check refused it). Here a
 * send waits for the previous one to complete, and a send that fails ends the connection: bytes are
 * never lost silently.
 *
 * <p>The pod is looked up again when a connection to it fails (it was replaced: a server Deployment's
 * pod that restarts comes back as another pod), so clients that reconnect reach the next ready one.
 */
final class PodTunnel implements AutoCloseable {
    private static final String PROTOCOL = "v4.channel.k8s.io";
    /** Data per message: with its channel byte under 64 KiB, the frame size servers commonly accept by default. */
    private static final int CHUNK = 32 * 1024;

    private final KubernetesClient client;
    private final String namespace;
    private final int port;
    private final java.util.function.Supplier<String> findPod;
    private volatile String pod;
    private final ServerSocket listener;
    private final Thread acceptor;

    private PodTunnel(KubernetesClient client, String namespace, int port, java.util.function.Supplier<String> findPod,
            ServerSocket listener) {
        this.client = client;
        this.namespace = namespace;
        this.port = port;
        this.findPod = findPod;
        this.pod = findPod.get();
        this.listener = listener;
        this.acceptor = new Thread(this::accept, "ferry-port-forward");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on a free port of 127.0.0.1; each connection there reaches {@code port} of the pod. */
    static PodTunnel open(KubernetesClient client, String namespace, String pod, int port) throws IOException {
        return open(client, namespace, () -> pod, port);
    }

    /** As {@link #open(KubernetesClient, String, String, int)}, to the pod {@code findPod} names, found again when it goes. */
    static PodTunnel open(KubernetesClient client, String namespace, java.util.function.Supplier<String> findPod, int port)
            throws IOException {
        return new PodTunnel(client, namespace, port, findPod, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    private URI uri(String pod) {
        return URI.create(URLUtils.join(client.getMasterUrl().toString(), "api", "v1", "namespaces", namespace, "pods", pod,
                "portforward?ports=" + port));
    }

    int localPort() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket local = listener.accept();
                local.setTcpNoDelay(true);
                new Connection(local).start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** One local connection and its websocket. */
    private final class Connection implements WebSocket.Listener {
        private final Socket local;
        private final boolean[] portSeen = new boolean[2];
        private volatile WebSocket ws;

        Connection(Socket local) {
            this.local = local;
        }

        void start() {
            connect(pod, true);
        }

        private void connect(String target, boolean mayLookAgain) {
            client.getHttpClient().newWebSocketBuilder().uri(uri(target)).connectTimeout(30, TimeUnit.SECONDS).subprotocol(PROTOCOL)
                    .buildAsync(this).whenComplete((socket, failed) -> {
                        if (failed != null) {
                            String next = mayLookAgain ? lookAgain(target) : null;
                            if (next != null) {
                                connect(next, false); // the pod was replaced: the next ready one
                            } else {
                                closeLocal();
                            }
                            return;
                        }
                        ws = socket;
                        Thread pump = new Thread(this::pumpUp, "ferry-port-forward-up");
                        pump.setDaemon(true);
                        pump.start();
                    });
        }

        /** Another ready pod than {@code failed}, or null (none now: the client's retry asks again). */
        private String lookAgain(String failed) {
            try {
                String found = findPod.get();
                if (found != null && !found.equals(failed)) {
                    pod = found;
                    return found;
                }
            } catch (RuntimeException none) {
                // no ready pod yet
            }
            return null;
        }

        /** Local bytes to the pod: one message in flight at a time; a failed send ends the connection. */
        private void pumpUp() {
            byte[] buffer = new byte[CHUNK + 1];
            try (InputStream in = local.getInputStream()) {
                for (int n = in.read(buffer, 1, CHUNK); n >= 0; n = in.read(buffer, 1, CHUNK)) {
                    buffer[0] = 0; // the data channel
                    if (!send(ByteBuffer.wrap(buffer, 0, n + 1))) {
                        break;
                    }
                }
                ws.sendClose(1000, "");
            } catch (IOException e) {
                ws.sendClose(1000, "");
            } finally {
                closeLocal();
            }
        }

        private boolean send(ByteBuffer message) {
            for (int attempt = 0; attempt < 100; attempt++) {
                while (ws.queueSize() > 0) { // the previous message is not written yet
                    if (local.isClosed()) {
                        return false;
                    }
                    LockSupport.parkNanos(50_000);
                }
                if (ws.send(message)) { // the message is copied: the buffer may be reused
                    return true;
                }
                LockSupport.parkNanos(1_000_000); // refused: the previous send was still finishing, or the socket closed
            }
            return false;
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteBuffer bytes) {
            try {
                if (!bytes.hasRemaining()) {
                    return;
                }
                int channel = bytes.get();
                if (channel < 0 || channel > 1) {
                    return;
                }
                if (!portSeen[channel]) {
                    portSeen[channel] = true; // the first message of a channel names the port
                    return;
                }
                if (channel == 1) {
                    // the kubelet could not forward (nothing listens on the port): the connection ends
                    byte[] why = new byte[bytes.remaining()];
                    bytes.get(why);
                    webSocket.sendClose(1000, new String(why, StandardCharsets.UTF_8));
                    closeLocal();
                    return;
                }
                OutputStream out = local.getOutputStream();
                if (bytes.hasArray()) {
                    out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
                } else {
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    out.write(copy);
                }
                out.flush();
            } catch (IOException e) {
                webSocket.sendClose(1000, "");
                closeLocal();
            } finally {
                webSocket.request(); // the next message
            }
        }

        @Override
        public void onClose(WebSocket webSocket, int code, String reason) {
            closeLocal();
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeLocal();
        }

        private void closeLocal() {
            try {
                local.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
