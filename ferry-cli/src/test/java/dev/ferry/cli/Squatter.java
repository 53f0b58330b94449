package dev.ferry.cli;

import dev.ferry.core.home.FerryHome;
import dev.ferry.server.CommandRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;

/**
 * Another program on a dead server's port: a home's command endpoint names a loopback port whose
 * listener accepts connections and reads the request but never answers, as after a kill -9 of the
 * server and the port's reuse. The relays must give up on it, not hang.
 */
record Squatter(FerryHome home, ServerSocket socket) implements AutoCloseable {
    /** A server's runner that takes the command, then works for a second without a word: no timeout applies. */
    static final CommandRunner SILENT_FOR_A_SECOND = (ferry, command, frames) -> {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            return 130;
        }
        return 0;
    };

    static Squatter on(FerryHome home) throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Files.createDirectories(home.commandEndpoint().getParent());
        Files.writeString(home.commandEndpoint(), socket.getLocalPort() + "\nsome-token\n");
        Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    client.getInputStream().readAllBytes(); // until the relay gives up and closes
                } catch (IOException closed) {
                    // the next one, or the end
                }
            }
        });
        return new Squatter(home, socket);
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
