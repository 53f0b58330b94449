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
    private volatile Socket socket;

    PortForwardStandIn(int port) {
        this.port = port;
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
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
        if (bytes.length > 1 && bytes[0] == 0) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes, 1, bytes.length - 1);
                out.flush();
            } catch (IOException e) {
                ws.close(1011, "write failed");
            }
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

    private void close() {
        try {
            if (socket != null) socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
