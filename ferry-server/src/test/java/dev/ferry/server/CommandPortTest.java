package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.BuildId;
import dev.ferry.core.api.CommandFrames;
import dev.ferry.core.api.Wire;
import dev.ferry.core.home.FerryHome;
import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local server's command port with a real daemon: a long relayed command keeps the server from
 * stopping as idle, and a client that goes away interrupts its command at the next write.
 */
class CommandPortTest {
    @TempDir
    Path tmp;
    Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    private FerryHome start(Duration idle, CommandRunner runner) {
        FerryHome home = new FerryHome(tmp.resolve("home"));
        daemon = new Daemon(home, new Daemon.Options("127.0.0.1", 0, idle, null, runner),
                new PrintWriter(Writer.nullWriter()));
        daemon.start();
        assertThat(home.commandEndpoint()).exists();
        return home;
    }

    private static Socket send(FerryHome home, String... args) throws IOException {
        List<String> endpoint = Files.readAllLines(home.commandEndpoint());
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(endpoint.get(0)));
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        CommandFrames.writeRequest(out, endpoint.get(1), new Wire.Command(List.of(args), "/",
                Map.of("FERRY_HOME", home.root().toString()), false, 0, BuildId.current()));
        out.flush();
        return socket;
    }

    @Test
    void aLongRelayedCommandKeepsTheServerFromStoppingAsIdle() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FerryHome home = start(Duration.ofSeconds(1), (ferry, command, frames) -> {
            try {
                return release.await(20, TimeUnit.SECONDS) ? 0 : 1;
            } catch (InterruptedException e) {
                return 130;
            }
        });
        try (Socket socket = send(home, "long")) {
            Thread.sleep(3_000); // three idle periods with nothing but the command running
            assertThat(home.serverFile()).as("the server stopped while a relayed command ran").exists();
            release.countDown();
            assertThat(CommandFrames.read(new BufferedInputStream(socket.getInputStream()), new CommandFrames.Reader() {})).isZero();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (Files.exists(home.serverFile()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(home.serverFile()).as("idle once the command ended").doesNotExist();
        assertThat(home.commandEndpoint()).doesNotExist();
    }

    @Test
    void aClientThatGoesAwayInterruptsItsCommandAtTheNextWrite() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        FerryHome home = start(Duration.ZERO, (ferry, command, frames) -> {
            byte[] line = "working\n".getBytes(StandardCharsets.UTF_8);
            try {
                for (int i = 0; i < 600; i++) {
                    frames.write(CommandFrames.STDOUT, line, 0, line.length);
                    started.countDown();
                    Thread.sleep(50);
                }
                return 0;
            } catch (IOException | InterruptedException gone) {
                stopped.countDown();
                return 130;
            }
        });
        try (Socket socket = send(home, "chatty")) {
            InputStream in = socket.getInputStream();
            // first, at once, the empty frame that says the server took the command
            assertThat(in.readNBytes(5)).containsExactly(CommandFrames.ACCEPTED, 0, 0, 0, 0);
            assertThat(in.read()).isEqualTo(CommandFrames.STDOUT); // the command runs and writes
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(stopped.await(10, TimeUnit.SECONDS)).as("the command noticed its client had gone").isTrue();
        try (Socket socket = send(home, "chatty")) { // and the port keeps serving the next client
            assertThat(socket.getInputStream().readNBytes(6)).startsWith(CommandFrames.ACCEPTED, 0, 0, 0, 0, CommandFrames.STDOUT);
        }
    }
}
