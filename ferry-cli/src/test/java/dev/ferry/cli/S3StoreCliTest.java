package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.testing.TestFiles;
import dev.ferry.s3.S3Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A store in S3 (s3proxy) as a user sets it up: `ferry config set store.url s3://bucket/prefix`, then
 * upload, push, download, fsck, gc, a lost catalog rebuilt from the bucket alone.
 */
class S3StoreCliTest {
    @TempDir
    static Path tmp;
    static S3Proxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = S3Proxy.start(tmp.resolve("s3"));
        try (S3Client s3 = proxy.client()) {
            s3.createBucket(b -> b.bucket("team-data"));
        }
        // what AWS_ENDPOINT_URL and the credential variables give a real process
        System.setProperty("aws.endpointUrl", proxy.endpoint());
        System.setProperty("aws.accessKeyId", S3Proxy.IDENTITY);
        System.setProperty("aws.secretAccessKey", S3Proxy.CREDENTIAL);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.endpointUrl");
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (proxy != null) proxy.close();
    }

    @Test
    void aStoreInS3WorksEndToEndAndALostCatalogIsRebuiltFromTheBucket() throws Exception {
        Path home = tmp.resolve("home");
        CliRun ferry = new CliRun(home);
        try {
            CliRun.Result set = ferry.run("config", "set", "store.url", "s3://team-data/ferry");
            assertThat(set.exit()).as(set.toString()).isZero();
            Path src = TestFiles.tree(tmp.resolve("src"), 60, 7);
            assertThat(ferry.run("repo", "create", "--repo", "demo").exit()).isZero();
            CliRun.Result up = ferry.run("bundle", "upload", "--path", src.toString(), "--repo", "demo", "--message", "m",
                    "--label", "v1");
            assertThat(up.exit()).as(up.toString()).isZero();
            DatasetBuilder d = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog")
                    .images("p", 2, 32, 32);
            CliRun.Result push = ferry.run("dataset", "push", d.dir().toString(), "--table", "pets", "--category",
                    "image_classification", "--intent", "train", "--label-column", "label");
            assertThat(push.exit()).as(push.toString()).isZero();

            Path out = tmp.resolve("out");
            CliRun.Result down = ferry.run("bundle", "download", "--repo", "demo", "--label", "v1", "--destination", out.toString());
            assertThat(down.exit()).as(down.toString()).isZero();
            TestFiles.assertSameTree(src, out);
            // the data is in the bucket, not in FERRY_HOME
            try (S3Client s3 = proxy.client()) {
                List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket("team-data").prefix("ferry/")).contents().stream()
                        .map(o -> o.key()).toList();
                assertThat(keys).anyMatch(k -> k.startsWith("ferry/packs/") && k.endsWith(".pack"))
                        .anyMatch(k -> k.startsWith("ferry/journal/"));
            }
            try (var local = Files.walk(home)) {
                assertThat(local.filter(p -> p.toString().endsWith(".pack"))).isEmpty();
            }
            CliRun.Result fsck = ferry.run("fsck");
            assertThat(fsck.exit()).as(fsck.toString()).isZero();
            assertThat(ferry.run("gc", "--grace", "0s").exit()).isZero();
            String rows = ferry.run("dataset", "rows", "pets", "-o", "json").out();

            ferry.stopServers();
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(home.resolve("catalog.db" + suffix));
            }
            CliRun.Result rebuilt = ferry.run("catalog", "rebuild");
            assertThat(rebuilt.exit()).as(rebuilt.toString()).isZero();
            assertThat(rebuilt.out()).contains("2 repos", "checks clean");
            assertThat(ferry.run("dataset", "rows", "pets", "-o", "json").out()).isEqualTo(rows);
            Path again = tmp.resolve("again");
            assertThat(ferry.run("bundle", "download", "--repo", "demo", "--label", "v1", "--destination", again.toString())
                    .exit()).isZero();
            TestFiles.assertSameTree(src, again);
            assertThat(ferry.run("fsck").exit()).isZero();
        } finally {
            ferry.stopServers();
        }
    }
}
