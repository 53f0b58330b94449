package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.home.ServerInfo;
import dev.ferry.core.model.Json;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile client against the real background server process: 100 MB bodies on every kind of route,
 * declared and chunked, are refused early with the API's JSON error, the server's memory stays small,
 * and it goes on serving.
 */
class HostileHttpProbeTest {
    private static final long RSS_LIMIT_KB = 512 * 1024;

    @TempDir
    Path tmp;
    Path home;

    @AfterEach
    void stopServer() {
        ServerInfo.read(new FerryHome(home).serverFile()).ifPresent(info ->
                ProcessHandle.of(info.pid()).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** A body of {@code size} bytes made as it is sent, so the probe itself holds none of it. */
    private static InputStream endless(long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? ' ' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) '{');
                left -= n;
                return n;
            }
        };
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    @Test
    void hundredMegabyteBodiesAreRefusedEarlyAndTheServerStaysSmallAndHealthy() throws Exception {
        home = tmp.resolve("home");
        CliRun ferry = new CliRun(home).withBackgroundServer().env("FERRY_SERVER_IDLE", "120");
        assertThat(ferry.run("repo", "create", "--repo", "demo", "--description", "x").exit()).isZero();
        ServerInfo info = ServerInfo.read(new FerryHome(home).serverFile()).orElseThrow();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = info.url() + "/api/v1";
        long size = 100L << 20;
        List<String> routes = List.of("/repos", "/gc", "/fsck", "/runs", "/packs", "/blobs/missing", "/blobs/read",
                "/repos/demo/bundles/latest/download");
        int answered = 0;
        for (int round = 0; round < 2; round++) {
            for (String route : routes) {
                for (boolean declared : new boolean[] {true, false}) {
                    HttpRequest.BodyPublisher body = declared
                            ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> endless(size)), size)
                            : HttpRequest.BodyPublishers.ofInputStream(() -> endless(size));
                    HttpResponse<String> r;
                    try {
                        r = http.send(HttpRequest.newBuilder(URI.create(base + route))
                                .header("Authorization", "Bearer " + info.token()).POST(body).build(),
                                HttpResponse.BodyHandlers.ofString());
                    } catch (java.io.IOException closedEarly) {
                        continue; // the server may close a connection whose body it will not read
                    }
                    assertThat(r.statusCode()).as(route + (declared ? " declared" : " chunked")).isIn(400, 413);
                    JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
                    assertThat(error).as(r.body()).isNotNull();
                    answered++;
                }
            }
        }
        assertThat(answered).as("requests answered with the JSON error").isGreaterThan(routes.size() * 2);
        assertThat(rssKb(info.pid())).as("server RSS after %s bodies of 100 MB", routes.size() * 4).isLessThan(RSS_LIMIT_KB);
        CliRun.Result still = ferry.run("repo", "list");
        assertThat(still.exit()).as(still.toString()).isZero();
        assertThat(still.out()).contains("demo");
    }
}
