package dev.ferry.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 endpoint for tests: s3proxy (its jar copied to target/s3proxy by the build) as its own
 * process on a free loopback port, keeping objects in a folder. Stopped with the JVM at the latest.
 */
public final class S3Proxy implements AutoCloseable {
    public static final String IDENTITY = "ferry-test";
    public static final String CREDENTIAL = "ferry-test-secret";

    private final Process process;
    private final String endpoint;

    private S3Proxy(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static S3Proxy start(Path dir) throws IOException, InterruptedException {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            jar = Path.of("..", "ferry-s3", "target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path data = Files.createDirectories(dir.resolve("objects"));
        String endpoint = "http://127.0.0.1:" + port;
        Path properties = Files.writeString(dir.resolve("s3proxy.properties"), String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data) + "\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(), "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile());
        builder.environment().remove("AWS_CA_BUNDLE");
        Process process = builder.start();
        S3Proxy proxy = new S3Proxy(process, endpoint);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("s3proxy stopped as it started: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return proxy;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        proxy.close();
        throw new IOException("s3proxy did not listen within 60 s: " + Files.readString(dir.resolve("s3proxy.log")));
    }

    public String endpoint() {
        return endpoint;
    }

    /** A client of this endpoint with its test credentials. */
    public S3Client client() {
        return S3PackStoreProvider.client(endpoint, StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
