package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.home.FerryHome;
import dev.ferry.core.home.ServerInfo;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.testing.PostgresServer;
import dev.ferry.s3.S3Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A team's setup, as processes: three `ferry serve` on one PostgreSQL catalog and one S3 bucket
 * (s3proxy), pushes spread over them at once, then one server killed mid-run: its run ends failed
 * within the lease time (settled by another server) and a push again succeeds; and the web UI's
 * thumbnails, made once by whichever server is asked first and found in the store by the others.
 */
class TeamServersTest {
    private static final String ADMIN = "team-admin-token-0123456789";

    @TempDir
    Path tmp;
    S3Proxy proxy;
    final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(Process::destroyForcibly);
        if (proxy != null) proxy.close();
    }

    /** A server configured by config.yaml ({@code fromEnv} false) or by FERRY_CATALOG and FERRY_STORE, as in a container. */
    private Process serve(Path home, String catalog, String store, boolean fromEnv) throws Exception {
        Files.createDirectories(home);
        if (!fromEnv) {
            Files.writeString(home.resolve("config.yaml"), "catalog.url: \"" + catalog + "\"\nstore.url: \"" + store + "\"\n");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder b = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Ferry.class.getName(), "serve", "--port", "0")
                .redirectErrorStream(true).redirectOutput(home.resolve("serve.log").toFile());
        b.environment().put("FERRY_HOME", home.toString());
        b.environment().put("FERRY_TOKEN", ADMIN);
        b.environment().put("FERRY_RUN_LEASE", "2s");
        b.environment().put("AWS_ENDPOINT_URL", proxy.endpoint());
        b.environment().put("AWS_ACCESS_KEY_ID", S3Proxy.IDENTITY);
        b.environment().put("AWS_SECRET_ACCESS_KEY", S3Proxy.CREDENTIAL);
        b.environment().remove("AWS_CA_BUNDLE");
        b.environment().remove("FERRY_STORE");
        b.environment().remove("FERRY_CATALOG");
        if (fromEnv) {
            b.environment().put("FERRY_CATALOG", catalog);
            b.environment().put("FERRY_STORE", store);
        }
        Process p = b.start();
        servers.add(p);
        return p;
    }

    private String urlOf(Path home, Process p) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            var info = ServerInfo.read(new FerryHome(home).serverFile());
            if (info.isPresent() && info.get().pid() == p.pid()) {
                return info.get().url();
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("ferry serve stopped: " + Files.readString(home.resolve("serve.log")));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("ferry serve did not start: " + Files.readString(home.resolve("serve.log")));
    }

    private CliRun client(String url, String name) {
        return new CliRun(tmp.resolve("client-" + name)).env("FERRY_SERVER", url).env("FERRY_TOKEN", ADMIN);
    }

    private static String[] push(Path dir, String table) {
        return new String[] {"dataset", "push", dir.toString(), "--table", table, "--category", "image_classification",
            "--intent", "train", "--label-column", "label"};
    }

    private DatasetBuilder dataset(String name, int images, int seed) {
        List<String> csv = new ArrayList<>(List.of("filename,label"));
        for (int i = 0; i < images; i++) {
            csv.add("i" + i + ".jpg," + (i % 2 == 0 ? "cat" : "dog"));
        }
        DatasetBuilder d = new DatasetBuilder(tmp.resolve(name)).csv(csv.toArray(String[]::new));
        for (int i = 0; i < images; i++) {
            d.bytes("images/i" + i + ".jpg", DatasetBuilder.jpeg(32 + seed, 32, i + seed * 1000 + 1));
        }
        return d;
    }

    /** The team's bucket ("team", on s3proxy) made; returns a new PostgreSQL catalog's URL. */
    private String teamStore() throws Exception {
        proxy = S3Proxy.start(tmp.resolve("s3"));
        try (S3Client s3 = proxy.client()) {
            s3.createBucket(b -> b.bucket("team"));
        }
        return PostgresServer.get().newDatabase();
    }

    @Test
    void threeServersOnePostgresOneBucketTwentyFourPushesAtOnceThenOneServerKilledMidRun() throws Exception {
        String catalog = teamStore();
        List<Path> homes = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            homes.add(tmp.resolve("server-" + i));
            serve(homes.get(i), catalog, "s3://team/ferry", i > 0);
        }
        for (int i = 0; i < 3; i++) {
            urls.add(urlOf(homes.get(i), servers.get(i)));
        }
        // 24 pushes, 8 per server: 6 tables, 4 datasets (some identical) per table
        List<DatasetBuilder> datasets = List.of(dataset("d0", 6, 0), dataset("d1", 6, 1));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<CliRun.Result>> pushes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String url = urls.get(i % 3);
            String table = "team_" + (i % 6);
            Path dir = datasets.get((i / 6) % 2).dir();
            int n = i;
            pushes.add(pool.submit(() -> client(url, "p" + n).run(push(dir, table))));
        }
        for (Future<CliRun.Result> f : pushes) {
            CliRun.Result r = f.get();
            assertThat(r.exit()).as(r.toString()).isZero();
        }
        pool.shutdown();
        CliRun admin = client(urls.get(0), "admin");
        for (int t = 0; t < 6; t++) {
            CliRun.Result versions = admin.run("dataset", "versions", "team_" + t, "-o", "json");
            assertThat(versions.exit()).as(versions.toString()).isZero();
            Set<String> manifests = new HashSet<>();
            versions.json().forEach(v -> manifests.add(v.get("version").asText()));
            assertThat(manifests).as("team_" + t + ": one version per distinct content").hasSize(2);
        }
        CliRun.Result fsck = admin.run("fsck");
        assertThat(fsck.exit()).as(fsck.toString()).isZero();

        // a server killed in the middle of a run: another settles it within the lease time
        DatasetBuilder big = dataset("big", 3000, 7);
        ExecutorService one = Executors.newSingleThreadExecutor();
        Future<CliRun.Result> doomed = one.submit(() -> client(urls.get(2), "doomed").run(push(big.dir(), "team_big")));
        long deadline = System.nanoTime() + 60_000_000_000L;
        String runId = null;
        while (runId == null && System.nanoTime() < deadline) {
            CliRun.Result runs = admin.run("runs", "list", "-o", "json");
            for (var run : runs.json()) {
                if (run.path("target").asText().equals("team_big")
                        && List.of("received", "planning", "staging", "executing").contains(run.get("state").asText())) {
                    runId = run.get("id").asText();
                }
            }
        }
        assertThat(runId).as("a running run on server 2").isNotNull();
        servers.get(2).destroyForcibly().waitFor();
        String id = runId;
        long killed = System.nanoTime();
        String state = "";
        while (!state.equals("failed") && System.nanoTime() - killed < 20_000_000_000L) {
            state = admin.run("runs", "show", id, "-o", "json").json().get("state").asText();
            Thread.sleep(100);
        }
        assertThat(state).isEqualTo("failed");
        assertThat((System.nanoTime() - killed) / 1_000_000_000L).as("seconds to settle, lease 2 s").isLessThan(10);
        doomed.cancel(true);
        one.shutdownNow();
        CliRun.Result again = client(urls.get(1), "again").run(push(big.dir(), "team_big"));
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(admin.run("fsck").exit()).isZero();
    }

    /** A UI session on the server at {@code url}, logged in with the admin token. */
    private static String uiSession(java.net.http.HttpClient http, String url) throws Exception {
        var login = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + ADMIN)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    /** A thumbnail's bytes, which must come from {@code origin} (the response's Server-Timing says). */
    private static byte[] thumbnail(java.net.http.HttpClient http, String url, String cookie, String path, String origin)
            throws Exception {
        var got = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path)).header("Cookie", cookie).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).as(path).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(got.headers().firstValue("Server-Timing")).hasValue("thumbnail;desc=" + origin);
        return got.body();
    }

    private static long objects(S3Client s3) {
        return s3.listObjectsV2Paginator(b -> b.bucket("team")).contents().stream().count();
    }

    @Test
    void aThumbnailOneServerMadeIsFoundInTheStoreByAnother() throws Exception {
        String catalog = teamStore();
        try (S3Client s3 = proxy.client()) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Path home = tmp.resolve("server-" + i);
                urls.add(urlOf(home, serve(home, catalog, "s3://team/ferry", false)));
            }
            // photos too large to be their own thumbnails: each is decoded and scaled, once
            DatasetBuilder photos = new DatasetBuilder(tmp.resolve("photos")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog");
            photos.bytes("images/p0.jpg", DatasetBuilder.jpeg(900, 600, 1)).bytes("images/p1.jpg", DatasetBuilder.jpeg(900, 600, 2));
            CliRun admin = client(urls.get(0), "admin");
            CliRun.Result pushed = admin.run(push(photos.dir(), "photos"));
            assertThat(pushed.exit()).as(pushed.toString()).isZero();
            String version = admin.run("-o", "json", "dataset", "show", "photos").json().get("version").asText();
            String path = "/ui/thumbnails/photos/" + version + "?path=images%2Fp0.jpg";
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();

            byte[] made = thumbnail(http, urls.get(0), uiSession(http, urls.get(0)), path, "made");
            assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(made)).getWidth()).isEqualTo(192);
            // stored in a batch within a second: one more pack in the bucket
            long deadline = System.nanoTime() + 20_000_000_000L;
            long before = objects(s3);
            java.sql.Connection db = java.sql.DriverManager.getConnection(catalog);
            try (db) {
                while (count(db) == 0) {
                    assertThat(System.nanoTime()).as("the thumbnail recorded in the catalog").isLessThan(deadline);
                    Thread.sleep(50);
                }
                before = objects(s3);
                String other = uiSession(http, urls.get(1));
                byte[] found = thumbnail(http, urls.get(1), other, path, "store");
                assertThat(found).as("the same thumbnail from the other server").isEqualTo(made);
                Thread.sleep(1_500); // a thumbnail made there would be stored by now
                assertThat(objects(s3)).as("the other server stored nothing: it read the first one's").isEqualTo(before);
                assertThat(count(db)).isEqualTo(1);
                assertThat(thumbnail(http, urls.get(1), other, path, "disk")).as("then from its own disk").isEqualTo(made);
            }
        }
    }

    private static long count(java.sql.Connection db) throws java.sql.SQLException {
        try (var s = db.createStatement(); var r = s.executeQuery("SELECT count(*) FROM derived_blobs WHERE derived IS NOT NULL")) {
            r.next();
            return r.getLong(1);
        }
    }
}
