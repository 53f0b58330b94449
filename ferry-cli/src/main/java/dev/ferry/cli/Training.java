package dev.ferry.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A training run for the JVM's class-data (or AOT) archive: the launcher runs it once after a build
 * with archiving on, so the classes every real command needs (catalog, store, JSON, picocli) load
 * from the archive afterwards. Works in a throw-away FERRY_HOME with its own server in this JVM;
 * touches nothing of the user's. {@code validate} trains the quick config check's archive instead, and
 * {@code answer HOME} is the stand-in command port the relay's archive is recorded against (see ./ferry).
 */
final class Training {
    private Training() {}

    public static void main(String[] args) throws IOException {
        if (args.length > 1 && args[0].equals("answer")) {
            try {
                answer(Path.of(args[1]));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        if (args.length > 0 && args[0].equals("validate")) {
            validate();
            return;
        }
        // a throw-away home with a store of its own, whatever FERRY_STORE names (the user's bucket)
        System.setProperty(dev.ferry.core.api.LocalFerry.STORE_PROPERTY, "");
        Path dir = Files.createTempDirectory("ferry-training-");
        try {
            Path src = dir.resolve("src");
            Random random = new Random(1);
            for (int i = 0; i < 200; i++) {
                byte[] b = new byte[random.nextInt(20_000)];
                random.nextBytes(b);
                Path f = src.resolve("d" + (i % 5)).resolve("f" + i + ".bin");
                Files.createDirectories(f.getParent());
                Files.write(f, b);
            }
            byte[] big = new byte[3 << 20];
            random.nextBytes(big);
            Files.write(src.resolve("big.bin"), big);
            Path pets = dir.resolve("pets");
            Files.createDirectories(pets.resolve("images"));
            StringBuilder csv = new StringBuilder("filename,label\n");
            for (int i = 0; i < 20; i++) {
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 32,
                        java.awt.image.BufferedImage.TYPE_INT_RGB);
                img.setRGB(i, i, 0xFFFFFF);
                javax.imageio.ImageIO.write(img, "jpg", pets.resolve("images/p" + i + ".jpg").toFile());
                csv.append("p").append(i).append(".jpg,").append(i % 2 == 0 ? "cat" : "dog").append('\n');
            }
            Files.writeString(pets.resolve("labels.csv"), csv);
            Files.writeString(pets.resolve("ingest.yaml"), "apiVersion: ferry.dev/v1\nkind: IngestConfig\n"
                    + "category: image_classification\ntable: pets\nintent: train\nlabel: label\n");
            // a table larger than a rows table keeps on the heap: the tabular checks, the spill, the rows engine
            Path table = dir.resolve("table");
            Files.createDirectories(table);
            StringBuilder rows = new StringBuilder("id,count,score,name,label\n");
            for (int i = 0; i < 30_000; i++) {
                rows.append(i).append(',').append(i % 97).append(',').append(random.nextDouble()).append(",n")
                        .append(i % 500).append(',').append(i % 3 == 0 ? "cat" : "dog").append('\n');
            }
            Files.writeString(table.resolve("rows.csv"), rows);
            Map<String, String> env = Map.of("FERRY_HOME", dir.resolve("home").toString());
            String s = src.toString();
            String out = dir.resolve("out").toString();
            String[][] commands = {
                {"version"}, {"--help"}, {"bundle", "upload", "--help"},
                {"repo", "create", "--repo", "t", "--description", "training"},
                {"bundle", "upload", "--path", s, "--repo", "t", "--message", "one", "--label", "one"},
                {"bundle", "upload", "--path", s, "--repo", "t", "--message", "two"},
                {"-o", "json", "bundle", "upload", "--path", s, "--repo", "t", "--message", "three"},
                {"repo", "list"}, {"-o", "json", "repo", "list"}, {"repo", "get", "--repo", "t"},
                {"bundle", "list", "--repo", "t"}, {"-o", "json", "bundle", "list", "--repo", "t"},
                {"bundle", "list", "files", "--repo", "t", "--label", "latest"},
                {"-o", "json", "bundle", "list", "files", "--repo", "t", "--label", "latest"},
                {"bundle", "download", "--repo", "t", "--label", "latest", "--destination", out},
                {"bundle", "download", "file", "--file", "big.bin", "--repo", "t", "--label", "one", "--destination",
                    out, "--force"},
                {"bundle", "diff", "--repo", "t", "one", "latest"},
                {"bundle", "update", "--repo", "t", "--label", "latest", "--destination", out},
                {"label", "list", "--repo", "t"}, {"label", "get", "--repo", "t", "--label", "one"},
                {"label", "history", "--repo", "t"}, {"fsck"}, {"gc", "--dry-run"}, {"repo", "get", "--repo", "none"},
                {"config", "list"},
                {"ingest", "validate", pets.resolve("ingest.yaml").toString()},
                {"ingest", "validate", pets.toString()},
                {"-o", "json", "ingest", "validate", pets.toString()},
                {"dataset", "push", pets.toString(), "--dry-run"},
                {"dataset", "push", pets.toString()},
                {"dataset", "push", pets.toString()},
                {"dataset", "rows", "pets", "--limit", "3"},
                {"dataset", "export", "pets", "--format", "csv", "--to", dir.resolve("pets.csv").toString()},
                {"dataset", "versions", "pets"},
                {"dataset", "push", table.toString(), "--table", "rows", "--category", "tabular_classification", "--intent",
                    "train", "--label-column", "label"},
                {"dataset", "stats", "rows"},
                {"dataset", "rows", "rows", "--where", "score > 0.5 AND label = 'cat'", "--limit", "5"},
                {"dataset", "diff", "rows", "latest", "latest", "--rows"},
                {"dataset", "export", "rows", "--format", "parquet", "--to", dir.resolve("rows.parquet").toString()},
                {"ui"},
            };
            PrintWriter sink = new PrintWriter(Writer.nullWriter());
            // the server runs in this JVM, so that its classes (Jetty, Javalin, the orchestrator) are archived too
            dev.ferry.server.Daemon[] server = new dev.ferry.server.Daemon[1];
            LocalServer.Starter inProcess = (home, log, environment) -> {
                server[0] = new dev.ferry.server.Daemon(home, new dev.ferry.server.Daemon.Options("127.0.0.1", 0,
                        java.time.Duration.ZERO, null, new CommandsForClients()), sink);
                server[0].start();
                return ProcessHandle.current();
            };
            for (String[] command : commands) {
                Ferry.run(env, sink, sink, false, inProcess, command);
            }
            for (String[] command : new String[][] {{"runs", "list"}, {"dataset", "list"}, {"dataset", "show", "pets"},
                {"server", "status"}}) {
                Ferry.run(env, sink, sink, false, inProcess, command);
            }
            // the commands a server runs for thin clients
            for (String[] command : new String[][] {{"version"}, {"dataset", "list"}, {"-o", "json", "repo", "list"},
                {"ingest", "validate", pets.resolve("ingest.yaml").toString()}, {"repo", "get", "--repo", "none"}}) {
                ThinClient.relay(command, env, dir, java.io.OutputStream.nullOutputStream(),
                        java.io.OutputStream.nullOutputStream(), false);
            }
            if (server[0] != null) {
                server[0].stop();
            }
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The stand-in command port the launcher records the relay's archive against: the launcher runs a
     * real relay (the entry point, {@link ThinClient}, as every command runs it) with archiving on,
     * and this process, not the recording one, answers it, so that the archive holds the relay's
     * classes and no others (a JVM with an AOT cache loads every class in it at start). Answers every
     * command with a line on each stream until it is killed, or for five minutes at most.
     */
    private static void answer(Path home) throws IOException, InterruptedException {
        dev.ferry.server.CommandRunner answer = (ferry, command, frames) -> {
            try {
                frames.onInterrupt("note");
                frames.stream(dev.ferry.core.api.CommandFrames.STDOUT).write("ok\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                frames.stream(dev.ferry.core.api.CommandFrames.STDERR).write("note\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                frames.onInterrupt("");
            } catch (IOException gone) {
                return 1;
            }
            return 0;
        };
        Path endpoint = dev.ferry.core.home.FerryHome.resolve(Map.of("FERRY_HOME", home.toString())).commandEndpoint();
        try (var socket = dev.ferry.server.CommandSocket.open(endpoint, "training", null, answer, line -> {})) {
            Thread.sleep(java.time.Duration.ofMinutes(5));
        }
    }

    /** The config check's training ({@link QuickValidate}, its own archive): a good config and a bad one. */
    private static void validate() throws IOException {
        Path dir = Files.createTempDirectory("ferry-training-validate-");
        try {
            Path good = dir.resolve("ingest.yaml");
            Files.writeString(good, "apiVersion: ferry.dev/v1\nkind: IngestConfig\ncategory: image_classification\n"
                    + "table: pets\nintent: train\ncsv: labels.csv\nimages: images\nlabel: label\n");
            Path bad = dir.resolve("bad.yaml");
            Files.writeString(bad, "apiVersion: ferry.dev/v1\nkind: IngestConfig\ncategory: image_classification\n"
                    + "table: 1x\nintent: validate\nlabel: label\ntarget_size: [1]\nextra: 1\n");
            for (Path config : new Path[] {good, bad}) {
                QuickValidate.run(java.util.List.of("ingest", "validate", config.toString()),
                        java.io.OutputStream.nullOutputStream(), java.io.OutputStream.nullOutputStream());
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
