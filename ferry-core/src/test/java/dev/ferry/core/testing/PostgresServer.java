package dev.ferry.core.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for tests, started once per JVM from the machine's binaries (Debian's
 * postgresql-15) on a free loopback port, and stopped when the JVM exits. As root it runs the server
 * as the postgres user (initdb refuses root). Each caller gets its own fresh database.
 */
public final class PostgresServer {
    private static PostgresServer instance;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dataDir;
    private final int port;

    private PostgresServer(Path bin, Path dataDir, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
    }

    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /** A new, empty database; returns its JDBC URL (user postgres, trust auth). */
    public String newDatabase() {
        String name = "ferry_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"));
                Statement s = c.createStatement()) {
            // a collation like a typical server's (en-US: 'a' before 'T'), not the byte order of initdb's C locale
            s.execute("CREATE DATABASE " + name + " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
                    + " LOCALE 'C.UTF-8'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public int port() {
        return port;
    }

    private static PostgresServer start() {
        Path bin = findBinaries();
        try {
            Path dataDir = Files.createTempDirectory("ferry-pg-");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "postgres:postgres", dataDir.toString()), dataDir);
            }
            run(asServerUser(root, bin.resolve("initdb").toString(), "-D", dataDir.resolve("data").toString(),
                    "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"), dataDir);
            int port = freePort();
            String options = "-p " + port + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + " -c max_connections=200";
            run(asServerUser(root, bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-o",
                    options, "-w", "-t", "60", "-l", dataDir.resolve("server.log").toString(), "start"), dataDir);
            PostgresServer server = new PostgresServer(bin, dataDir, port);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(root)));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL for tests", e);
        }
    }

    private void stop(boolean root) {
        try {
            run(asServerUser(root, bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-m",
                    "immediate", "stop"), dataDir);
        } catch (RuntimeException ignored) {
            // the JVM is exiting
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }

    private static List<String> asServerUser(boolean root, String... command) {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static Path findBinaries() {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString())))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL server binaries not found under " + base
                    + "; install them with: apt-get install -y postgresql-15", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command, Path workDir) {
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("cmd.log").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + command + "\n"
                        + Files.readString(workDir.resolve("cmd.log")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
