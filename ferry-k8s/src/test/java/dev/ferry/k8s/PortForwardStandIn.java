package dev.ferry.k8s;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * The kubelet's side of a port-forward, for tests: each websocket the client opens (one per local TCP
 * connection) becomes a TCP connection to {@code port} on this machine, in the port-forward protocol
 * (first a message per channel naming the port, then data as {@code [0, bytes...]} both ways).
 */
final class PortForwardStandIn extends WebSocketListener {
    private final int port;
    private final MockCluster.Forwarding forwarding;
    private volatile Socket socket;
    /**
     * Data for the pod, written by a thread of its own: a blocking write on the mock's event loop would
     * stall the replies that the pod's side waits to send (a pod that echoes would deadlock it).
     */
    private final java.util.concurrent.BlockingQueue<byte[]> toPod = new java.util.concurrent.LinkedBlockingQueue<>();
    private static final byte[] END = new byte[0];

    PortForwardStandIn(int port, MockCluster.Forwarding forwarding) {
        this.port = port;
        this.forwarding = forwarding;
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
        try {
            socket = new Socket("127.0.0.1", port);
        } catch (IOException e) {
            ws.send(new byte[] {1, 'r', 'e', 'f', 'u', 's', 'e', 'd'});
            ws.close(1011, "cannot connect");
            return;
        }
        ws.send(new byte[] {0, (byte) port, (byte) (port >> 8)});
        ws.send(new byte[] {1, (byte) port, (byte) (port >> 8)});
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = socket.getInputStream()) {
                for (int n = in.read(buffer, 1, buffer.length - 1); n >= 0; n = in.read(buffer, 1, buffer.length - 1)) {
                    buffer[0] = 0;
                    ws.send(Arrays.copyOf(buffer, n + 1));
                }
            } catch (IOException closed) {
                // the client went away
            }
            ws.close(1000, "");
        }, "port-forward-stand-in");
        pump.setDaemon(true);
        pump.start();
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (byte[] data = toPod.take(); data != END; data = toPod.take()) {
                    out.write(data);
                    out.flush();
                }
                socket.shutdownOutput(); // all the client sent is there: the pod reads its end
            } catch (IOException | InterruptedException e) {
                ws.close(1011, "write failed");
            }
        }, "port-forward-stand-in-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
        if (bytes.length > 1 && bytes[0] == 0) {
            if (forwarding.carried(bytes.length - 1)) {
                toPod.clear();
                try {
                    socket.close(); // the connection to the API server broke: the client's request fails mid-way
                } catch (IOException ignored) {
                    // closing
                }
                ws.close(1011, "connection lost");
                return;
            }
            toPod.add(Arrays.copyOfRange(bytes, 1, bytes.length));
        }
    }

    @Override
    public void onMessage(WebSocket ws, ByteString bytes) {
        onMessage(ws, bytes.toByteArray());
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
        close();
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
        close();
    }

    /** The client went: what it sent still reaches the pod, then the pod sees its end. */
    private void close() {
        toPod.add(END);
    }
}
