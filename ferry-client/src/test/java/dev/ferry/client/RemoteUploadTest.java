package dev.ferry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.api.PushRequest;
import dev.ferry.core.api.PushResult;
import dev.ferry.core.api.UploadRequest;
import dev.ferry.core.api.UploadResult;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.manifest.ManifestSummary;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Json;
import dev.ferry.core.pack.BlobFrames;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunSpec;
import dev.ferry.core.run.RunState;
import dev.ferry.core.testing.TestFiles;
import dev.ferry.core.transfer.TransferListener;
import dev.ferry.core.transfer.UploadOutcome;
import dev.ferry.server.FerryServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The missing-blobs + pack protocol against a real remote-style server, with the faults it must survive. */
class RemoteUploadTest {
    @TempDir
    Path tmp;
    private FerryServer server;
    private String token;
    private String url;
    private HttpFerry client;

    @BeforeEach
    void start() {
        token = FerryServer.newToken();
        server = new FerryServer(LocalFerry.open(new FerryHome(tmp.resolve("server-home"))), token, false);
        url = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        client = HttpFerry.remote(url, token, tmp.resolve("client-cache"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        server.ferry().close();
    }

    private dev.ferry.core.store.Store store() {
        return server.ferry().store();
    }

    private HttpResponse<String> postPack(byte[] body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/packs"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static byte[] frames(List<byte[]> blobs, List<Digest> declared) {
        int size = BlobFrames.MAGIC.length + blobs.stream().mapToInt(b -> BlobFrames.frameSize(b.length)).sum();
        byte[] body = new byte[size];
        System.arraycopy(BlobFrames.MAGIC, 0, body, 0, BlobFrames.MAGIC.length);
        int at = BlobFrames.MAGIC.length;
        for (int i = 0; i < blobs.size(); i++) {
            at = BlobFrames.writeFrame(body, at, declared.get(i), java.nio.ByteBuffer.wrap(blobs.get(i)));
        }
        return body;
    }

    @Test
    void aPackUploadIsStoredWholeAndBlobsReadBackVerified() throws Exception {
        byte[] a = TestFiles.randomBytes(1, 5000);
        byte[] b = TestFiles.randomBytes(2, 70_000);
        HttpResponse<String> ok = postPack(frames(List.of(a, b), List.of(Digest.of(a), Digest.of(b))));
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(ok.body()).get("newBlobs").asLong()).isEqualTo(2);
        assertThat(client.blobWire().missing(List.of(Digest.of(a), Digest.of(b)))).isEmpty();
        assertThat(client.blobWire().read(Digest.of(b))).isEqualTo(b);
        // the same again stores nothing new
        HttpResponse<String> again = postPack(frames(List.of(a), List.of(Digest.of(a))));
        assertThat(Json.MAPPER.readTree(again.body()).get("newBlobs").asLong()).isZero();
    }

    @Test
    void bytesThatDoNotMatchTheirDigestAreRejectedAndNothingOfTheUploadIsStored() throws Exception {
        byte[] good = TestFiles.randomBytes(3, 4000);
        byte[] bad = TestFiles.randomBytes(4, 4000);
        Digest claimed = Digest.of(TestFiles.randomBytes(5, 4000));
        HttpResponse<String> r = postPack(frames(List.of(good, bad), List.of(Digest.of(good), claimed)));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.get("message").asText()).contains("does not match its digest").contains(claimed.toString());
        assertThat(client.blobWire().missing(List.of(Digest.of(good), claimed))).containsExactlyInAnyOrder(Digest.of(good), claimed);
        assertThat(store().packs().list()).isEmpty();

        HttpResponse<String> noMagic = postPack("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(noMagic.statusCode()).isEqualTo(400);
        assertThat(noMagic.body()).contains("must start with");
    }

    @Test
    void aClientThatDisconnectsMidUploadLeavesNothingBehindAndTheServerCarriesOn() throws Exception {
        byte[] blob = TestFiles.randomBytes(6, 1 << 20);
        byte[] body = frames(List.of(blob), List.of(Digest.of(blob)));
        URI uri = URI.create(url);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/packs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            Thread.sleep(200);
        } // closed half-way
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!store().packs().list().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(store().packs().list()).isEmpty();
        assertThat(client.blobWire().missing(List.of(Digest.of(blob)))).containsExactly(Digest.of(blob));
        assertThat(client.health().status()).isEqualTo("ok");
        // and the same blob uploads fine afterwards
        assertThat(postPack(body).statusCode()).isEqualTo(201);
    }

    @Test
    void anInterruptedUploadRunAgainSendsOnlyWhatTheServerIsMissing() throws Exception {
        Path src = tmp.resolve("src");
        int files = 48;
        long size = 1 << 20;
        for (int i = 0; i < files; i++) {
            TestFiles.writeRandom(src.resolve("f" + i + ".bin"), 100 + i, size);
        }
        client.createRepo("big", "");
        AtomicInteger done = new AtomicInteger();
        TransferListener interrupting = new TransferListener() {
            @Override
            public void fileDone() {
                if (done.incrementAndGet() == 40) {
                    awaitFirstPack();
                    throw new FerryException(ErrorCode.INTERRUPTED, "simulated Ctrl-C");
                }
            }
        };
        assertThatThrownBy(() -> client.upload(new UploadRequest(src, "big", "m", null), interrupting))
                .hasMessageContaining("simulated");
        assertThat(client.listBundles("big")).isEmpty();
        long storedBefore = storedBytes();
        assertThat(storedBefore).isGreaterThan(0).isLessThan(files * size);

        UploadResult again = client.upload(new UploadRequest(src, "big", "m", null), TransferListener.NONE);
        assertThat(again.created()).isTrue();
        // only the rest travelled (the manifest is small and new too)
        assertThat(again.outcome().newBytes()).isLessThanOrEqualTo(files * size - storedBefore + 64 * 1024);
        assertThat(storedBytes()).isBetween(files * size, files * size + 64 * 1024);
        Path out = tmp.resolve("out");
        client.download(new dev.ferry.core.api.DownloadRequest("big", dev.ferry.core.model.BundleRef.label("latest"), out,
                null, false), TransferListener.NONE);
        TestFiles.assertSameTree(src, out);

        // unchanged, a third upload reads nothing and sends nothing
        UploadResult third = client.upload(new UploadRequest(src, "big", "m", null), TransferListener.NONE);
        assertThat(third.created()).isFalse();
        assertThat(third.outcome().filesRead()).isZero();
        assertThat(third.outcome().newBytes()).isZero();
    }

    @Test
    void aRemoteDownloadReadsSmallFilesInBatchesAndRestoresTheTreeExactly() throws Exception {
        // more small files than one batch holds, a file large enough to be read chunk by chunk, an empty
        // file and two files with the same content (one blob, asked for once per batch)
        Path src = TestFiles.tree(tmp.resolve("mixed"), 2500, 17);
        TestFiles.writeRandom(src.resolve("large.bin"), 5, 6 << 20);
        TestFiles.write(src.resolve("empty"), new byte[0]);
        TestFiles.write(src.resolve("same-1"), "twins".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        TestFiles.write(src.resolve("same-2"), "twins".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        client.createRepo("mixed", "");
        client.upload(new UploadRequest(src, "mixed", "m", null), TransferListener.NONE);
        Path out = tmp.resolve("mixed-out");
        var outcome = client.download(new dev.ferry.core.api.DownloadRequest("mixed", dev.ferry.core.model.BundleRef.label("latest"),
                out, null, false), TransferListener.NONE);
        assertThat(outcome.files()).isEqualTo(2504);
        TestFiles.assertSameTree(src, out);
    }

    /**
     * The server sends blobs as stored and the client checks them: a flipped byte in the server's pack
     * fails the download (DATA_CORRUPT, nothing left at the destination), and the client's report makes
     * the server record the damage, as a read on the server would; the next upload stores it again.
     */
    @Test
    void aDamagedBlobMetByARemoteDownloadIsRecordedOnTheServerAndHealedByTheNextUpload() throws Exception {
        Path src = TestFiles.tree(tmp.resolve("dmg"), 40, 23);
        TestFiles.writeRandom(src.resolve("large.bin"), 9, 3 << 20); // read chunk by chunk
        client.createRepo("dmg", "");
        client.upload(new UploadRequest(src, "dmg", "m", null), TransferListener.NONE);
        for (String victim : List.of("large.bin", firstSmallFile(src))) {
            Digest d = dev.ferry.core.manifest.Manifest.open(store().blobs(), server.ferry().getBundle("dmg",
                    dev.ferry.core.model.BundleRef.label("latest")).manifest()).find(victim).orElseThrow()
                    .chunks().getFirst().digest();
            var at = store().index().locate(List.of(d)).get(d);
            dev.ferry.core.blob.LocalBlobStoreSupport.flipByte(store().packs(), at.packId(), at.offset() + 5);
            Path out = tmp.resolve("dmg-out-" + victim);
            assertThatThrownBy(() -> client.download(new dev.ferry.core.api.DownloadRequest("dmg",
                    dev.ferry.core.model.BundleRef.label("latest"), out, null, false), TransferListener.NONE))
                    .isInstanceOf(FerryException.class)
                    .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.DATA_CORRUPT))
                    .hasMessageContaining(d.toString()).hasMessageContaining("recorded");
            assertThat(out).doesNotExist();
            assertThat(store().index().damagedBlobs()).extracting(b -> b.location().digest()).containsExactly(d);
            client.upload(new UploadRequest(src, "dmg", "again", null), TransferListener.NONE);
            assertThat(store().index().damagedBlobs()).as("stored again").isEmpty();
        }
        Path healed = tmp.resolve("dmg-healed");
        client.download(new dev.ferry.core.api.DownloadRequest("dmg", dev.ferry.core.model.BundleRef.label("latest"),
                healed, null, false), TransferListener.NONE);
        TestFiles.assertSameTree(src, healed);
    }

    private static String firstSmallFile(Path dir) throws Exception {
        try (var files = java.nio.file.Files.walk(dir)) {
            return files.filter(java.nio.file.Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> !n.equals("large.bin")).sorted().findFirst().orElseThrow();
        }
    }

    private void awaitFirstPack() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try {
            while (store().index().listPacks().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long storedBytes() throws Exception {
        long total = 0;
        for (var pack : store().index().listPacks()) {
            total += store().index().blobsInPack(pack.id()).stream().mapToLong(b -> b.length()).sum();
        }
        return total;
    }

    @Test
    void aPushWithAConfigFileOutsideTheFolderIngestsOnTheServer() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("ds")).csv("filename,label", "a0.jpg,cat", "a1.jpg,dog")
                .images("a", 2, 32, 32);
        Path config = Files.writeString(tmp.resolve("elsewhere.yaml"), """
                apiVersion: ferry.dev/v1
                kind: IngestConfig
                category: image_classification
                table: remote_cats
                intent: train
                label: label
                """);
        PushResult r = client.push(new PushRequest(d.dir(), config, ConfigFlags.NONE, "m", "v1"), TransferListener.NONE);
        assertThat(r.newVersion()).isTrue();
        assertThat(r.table()).isEqualTo("remote_cats");
        assertThat(r.summary().inserted()).isEqualTo(2);
        assertThat(server.ferry().getIngestion("remote_cats", null).rowCount()).isEqualTo(2);
        // the scratch copy the checks ran on is gone
        try (var left = Files.list(tmp.resolve("server-home").resolve("scratch"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aStagedRunNamingDataTheServerDoesNotHaveFailsAndCommitsNothing() throws Exception {
        client.createRepo("demo", "");
        Digest unknown = Digest.of("no such manifest".getBytes(StandardCharsets.UTF_8));
        UploadOutcome forged = new UploadOutcome(new ManifestSummary(unknown, 1, 10), 10, 1, 1, 1, 0, List.of());
        var submission = client.submit(new RunSpec.Upload("/client/folder", "demo", "m", null, forged), null);
        client.watchRun(submission.run().id(), 0, e -> true);
        Run run = client.getRun(submission.run().id());
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.failure().code()).isEqualTo("REJECTED");
        assertThat(run.failure().message()).contains("incomplete").contains(unknown.toString());
        assertThat(client.listBundles("demo")).isEmpty();

        // an unstaged spec (a path on the server's machine) is refused by a remote server
        assertThatThrownBy(() -> client.submit(new RunSpec.Upload("/etc", "demo", "m", null), null))
                .isInstanceOf(FerryException.class).hasMessageContaining("does not read folders");
    }
}
