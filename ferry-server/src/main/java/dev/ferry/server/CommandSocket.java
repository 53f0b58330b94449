package dev.ferry.server;

import dev.ferry.core.BuildId;
import dev.ferry.core.api.CommandFrames;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.api.Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The local server's command port: thin clients of this machine hand it whole CLI invocations
 * ({@link CommandFrames}) and it runs them over its own store, warm, streaming their output back.
 * A plain loopback socket whose port and token are in a file only the owner may read: no HTTP, JSON
 * or TLS for a client to load, which is what keeps a relayed command's start-up near a bare JVM's.
 * (A Unix domain socket would need no token, but opening one seeds a SecureRandom: 15 ms of start-up.)
 */
public final class CommandSocket implements AutoCloseable {
    private final Path endpoint;
    private final byte[] token;
    private final LocalFerry ferry;
    private final CommandRunner runner;
    private final Consumer<String> log;
    private final ServerSocketChannel channel;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private volatile boolean closed;

    private CommandSocket(Path endpoint, String token, LocalFerry ferry, CommandRunner runner, Consumer<String> log,
            ServerSocketChannel channel) {
        this.endpoint = endpoint;
        this.token = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.ferry = ferry;
        this.runner = runner;
        this.log = log;
        this.channel = channel;
    }

    /**
     * Listens on a free loopback port and writes its port and {@code token} to {@code endpoint}
     * (the caller holds the home's server lock, so a stale file of a dead server is replaced).
     * Throws if that fails; the server then runs without it.
     */
    public static CommandSocket open(Path endpoint, String token, LocalFerry ferry, CommandRunner runner,
            Consumer<String> log) throws IOException {
        Path dir = endpoint.getParent();
        Files.createDirectories(dir);
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            Path temp = dir.resolve(endpoint.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, port + "\n" + token + "\n");
            Files.move(temp, endpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        CommandSocket socket = new CommandSocket(endpoint, token, ferry, runner, log, channel);
        Thread.ofPlatform().daemon().name("ferry-command-port").start(socket::acceptLoop);
        return socket;
    }

    /** When a command last ran, or now while one runs (the server is busy, not idle). */
    public long lastActivityNanos() {
        return running.get() > 0 ? System.nanoTime() : lastActivity.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = channel.accept();
                Thread.ofVirtual().name("ferry-command").start(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    log.accept("command socket stopped accepting: " + e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        running.incrementAndGet();
        Thread worker = Thread.currentThread();
        try (client) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(client), 1 << 16);
            CommandFrames.Writer frames = new CommandFrames.Writer(out, worker::interrupt);
            Wire.Command command;
            try {
                command = CommandFrames.readRequest(new DataInputStream(new BufferedInputStream(Channels.newInputStream(client))),
                        token);
            } catch (IOException malformed) {
                frames.refuse("malformed command request: " + malformed.getMessage());
                return;
            }
            if (!BuildId.current().equals(command.build())) {
                frames.refuse("this server runs build " + BuildId.current() + ", the client is build " + command.build());
                return;
            }
            if (command.cwd().isEmpty() || !Path.of(command.cwd()).isAbsolute()) {
                frames.refuse("the working directory must be absolute, not '" + command.cwd() + "'");
                return;
            }
            String refusal = runner.refusal(command);
            if (refusal != null) {
                frames.refuse(refusal);
                return;
            }
            frames.accept();
            frames.exit(runner.run(ferry, command, frames));
        } catch (IOException gone) {
            // the client went away (Ctrl-C): the command was interrupted and there is nobody to tell
        } catch (RuntimeException e) {
            log.accept("a command for a client failed unexpectedly: " + e);
        } finally {
            lastActivity.set(System.nanoTime());
            running.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(endpoint);
        } catch (IOException ignored) {
            // the next server replaces it
        }
    }
}
