package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.model.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's HTTP surface with raw requests: auth, bad bodies, unknown routes and ids, hostile paths. */
class ServerHttpTest {
    @TempDir
    Path tmp;
    FerryServer server;
    String token = FerryServer.newToken();
    String base;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        server = new FerryServer(LocalFerry.open(new FerryHome(tmp.resolve("home"))), token, true);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/api/v1";
    }

    @AfterEach
    void stop() {
        server.close();
        server.ferry().close();
    }

    private HttpResponse<String> send(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> r) throws Exception {
        JsonNode e = Json.MAPPER.readTree(r.body()).get("error");
        assertThat(e).as(r.body()).isNotNull();
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return e;
    }

    @Test
    void everyRouteButHealthAndVersionNeedsTheToken() throws Exception {
        assertThat(send("GET", "/health", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/version", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> none = send("GET", "/repos", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(error(none).get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(error(none).get("exitCode").asInt()).isEqualTo(5);
        HttpResponse<String> wrong = send("GET", "/repos", null, token + "x");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(error(wrong).get("message").asText()).contains("not valid");
        assertThat(send("POST", "/repos", "{\"name\":\"x\"}", "nope").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/repos", null, token).statusCode()).isEqualTo(200);
    }

    @Test
    void malformedBodiesAre400WithTheReasonAndCreateNothing() throws Exception {
        for (String body : new String[] {"", "{", "[1,2]", "null", "{\"name\": 5, \"description\": {}}", "not json"}) {
            HttpResponse<String> r = send("POST", "/repos", body, token);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(error(r).get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        }
        HttpResponse<String> badName = send("POST", "/repos", "{\"name\":\"../../etc\"}", token);
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(error(badName).get("message").asText()).contains("invalid repo name");
        HttpResponse<String> badRun = send("POST", "/runs", "{\"spec\": {\"kind\": \"format-disk\"}}", token);
        assertThat(badRun.statusCode()).isEqualTo(400);
        HttpResponse<String> relative = send("POST", "/runs", "{\"spec\": {\"kind\": \"upload\", \"path\": \"data\","
                + " \"repo\": \"r\"}}", token);
        assertThat(relative.statusCode()).isEqualTo(201); // accepted; the run fails with the reason
        String runId = Json.MAPPER.readTree(relative.body()).get("id").asText();
        JsonNode run = Json.MAPPER.readTree(send("GET", "/runs/" + runId, null, token).body());
        for (int i = 0; i < 200 && !run.get("state").asText().equals("failed"); i++) {
            Thread.sleep(20);
            run = Json.MAPPER.readTree(send("GET", "/runs/" + runId, null, token).body());
        }
        assertThat(run.get("state").asText()).isEqualTo("failed");
        assertThat(run.at("/failure/message").asText()).contains("must be absolute");
        assertThat(Json.MAPPER.readTree(send("GET", "/repos", null, token).body())).isEmpty();
    }

    @Test
    void unknownRoutesAndIdsAre404JsonAndHostilePathParametersAre400() throws Exception {
        HttpResponse<String> route = send("GET", "/no/such/route", null, token);
        assertThat(route.statusCode()).isEqualTo(404);
        assertThat(error(route).get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(send("GET", "/repos/nope", null, token).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/runs/0ujsswThIGTUYm2K8FjOOfXtY1K", null, token).statusCode()).isEqualTo(404);
        for (String hostile : List.of("/repos/..%2F..%2Fetc", "/repos/%2Fetc%2Fpasswd", "/runs/..%2F..%2Fcatalog.db",
                "/repos/demo%00x", "/datasets/..%2Fhome/rows", "/runs/x/events/stream")) {
            HttpResponse<String> r = send("GET", hostile, null, token);
            assertThat(r.statusCode()).as(hostile).isIn(400, 404);
            // also what Jetty refuses itself before any route (an encoded '/', NUL) is the API's JSON error
            assertThat(r.headers().firstValue("Content-Type")).as(hostile).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(error(r).get("code").asText()).as(hostile).isIn("INVALID_ARGUMENT", "NOT_FOUND");
        }
        send("POST", "/repos", "{\"name\":\"demo\"}", token);
        HttpResponse<String> label = send("GET", "/repos/demo/bundles/..%2F..%2Fx", null, token);
        assertThat(label.statusCode()).isEqualTo(400);
        HttpResponse<String> download = send("POST", "/repos/demo/bundles/latest/download",
                "{\"destination\": \"relative/dir\"}", token);
        assertThat(download.statusCode()).isIn(400, 404);
    }

    @Test
    void manyBlobsComeBackInOneAnswerOnlyWhenAllAreThereAndWithinTheLimits() throws Exception {
        var ferry = server.ferry();
        java.util.List<dev.ferry.core.model.Digest> stored = new java.util.ArrayList<>();
        var pack = new java.io.ByteArrayOutputStream();
        dev.ferry.core.pack.BlobFrames.writeMagic(pack);
        for (String text : java.util.List.of("one", "two", "three")) {
            byte[] data = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            stored.add(dev.ferry.core.model.Digest.of(data));
            dev.ferry.core.pack.BlobFrames.writeFrame(pack, stored.getLast(), data);
        }
        ferry.blobService().store(new java.io.ByteArrayInputStream(pack.toByteArray()));
        String asked = Json.MAPPER.writeValueAsString(java.util.Map.of("digests", java.util.List.of(stored.get(2).toString(),
                stored.get(0).toString())));
        HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(URI.create(base + "/blobs/read"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(asked)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ok.statusCode()).isEqualTo(200);
        java.util.List<String> got = new java.util.ArrayList<>();
        dev.ferry.core.pack.BlobFrames.read(new java.io.ByteArrayInputStream(ok.body()),
                (digest, data, length) -> got.add(new String(data, 0, length, java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(got).containsExactly("three", "one");

        String unknown = "sha256:" + "ab".repeat(32);
        HttpResponse<String> missing = send("POST", "/blobs/read", "{\"digests\": [\"" + stored.get(0) + "\", \"" + unknown + "\"]}",
                token);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(error(missing).get("message").asText()).contains(unknown);
        String tooMany = Json.MAPPER.writeValueAsString(java.util.Map.of("digests",
                java.util.Collections.nCopies(dev.ferry.core.pack.BlobFrames.MAX_BLOBS + 1, stored.get(0).toString())));
        HttpResponse<String> refused = send("POST", "/blobs/read", tooMany, token);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(error(refused).get("message").asText()).contains("at most 4096 blobs");
        assertThat(send("POST", "/blobs/read", "{\"digests\": [\"sha256:nope\"]}", token).statusCode()).isEqualTo(400);
    }

    @Test
    void theOpenApiDocumentListsExactlyTheRoutesTheServerHas() throws Exception {
        Path doc = Path.of("..", "docs", "http-api.yaml");
        JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(doc.toFile()).get("paths");
        List<String> documented = new ArrayList<>();
        paths.fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m ->
                documented.add(m.toUpperCase() + " /api/v1" + p.getKey())));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(server.routes());
        // and the server serves this very document, without a token
        HttpResponse<String> served = send("GET", "/openapi.yaml", null, null);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
        assertThat(served.body()).isEqualTo(java.nio.file.Files.readString(doc));
        // and which of them need no token: "security: []" in the document, the server's own table
        List<String> open = new ArrayList<>();
        paths.fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            JsonNode security = m.getValue().get("security");
            if (security != null && security.isEmpty()) {
                open.add(m.getKey().toUpperCase() + " /api/v1" + p.getKey());
            }
        }));
        assertThat(open).containsExactlyInAnyOrderElementsOf(FerryServer.publicRoutes());
        for (String route : server.routes()) {
            String[] parts = route.split(" ", 2);
            String path = parts[1].substring("/api/v1".length()).replaceAll("\\{[^}]+}", "x");
            int status = send(parts[0], path, parts[0].equals("GET") ? null : "{}", null).statusCode();
            if (FerryServer.publicRoutes().contains(route)) {
                assertThat(status).as(route).isNotEqualTo(401);
            } else {
                assertThat(status).as(route + " without a token").isEqualTo(401);
            }
        }
    }

    @Test
    void bodiesAreStrictAndErrorsNameFieldsNotJavaTypes() throws Exception {
        HttpResponse<String> junk = send("POST", "/gc", "{\"dryrun\": true, \"graceSeconds\": 0}", token);
        assertThat(junk.statusCode()).isEqualTo(400);
        assertThat(error(junk).get("message").asText()).isEqualTo("unknown field 'dryrun' in the request body");
        assertThat(error(junk).get("hint").asText()).contains("dryRun", "graceSeconds");
        for (String body : new String[] {"{\"readData\": \"yes\"}", "[1]", "{\"readData\": true} {}", "{\"x\"", "42"}) {
            HttpResponse<String> r = send("POST", "/fsck", body, token);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            String text = error(r).get("message").asText() + " " + error(r).get("hint").asText();
            assertThat(text).as(body).doesNotContain("dev.ferry", "java.", "Wire", "`", "$");
        }
        for (String query : List.of("/runs?limit=-1", "/runs?limit=0", "/runs?limit=1001", "/runs?limit=x",
                "/runs/0ujsswThIGTUYm2K8FjOOfXtY1K/events?after=-5")) {
            HttpResponse<String> r = send("GET", query, null, token);
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(error(r).get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        }
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreReadWithTheJsonError() throws Exception {
        // 100 MB declared: refused from the Content-Length, before any of it is sent (a client that
        // went on writing might see the connection close under it: this one sends the headers only)
        for (String route : List.of("/repos", "/gc", "/packs", "/blobs/missing")) {
            String answer = raw("POST /api/v1" + route + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (100 << 20) + "\r\n\r\n", new byte[0]);
            assertThat(answer).as(route).startsWith("HTTP/1.1 413");
            var error = Json.MAPPER.readTree(answer.substring(answer.indexOf('{'), answer.lastIndexOf('}') + 1)).get("error");
            assertThat(error.get("code").asText()).isEqualTo("TOO_LARGE");
            assertThat(error.get("exitCode").asInt()).isEqualTo(8);
        }
        // a chunked body of unknown length stops being read at the limit
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) { // 2.5 MiB, over the 1 MiB limit
            chunks.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunks.writeBytes(chunk);
            chunks.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        String chunked = raw("POST /api/v1/repos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", chunks.toByteArray());
        assertThat(chunked).startsWith("HTTP/1.1 413");
        assertThat(Json.MAPPER.readTree(send("GET", "/repos", null, token).body())).isEmpty();
    }

    /**
     * One request over a plain socket: the head, then as much of {@code body} as the server takes
     * (it may answer and close before the end), then the whole answer as text.
     */
    private String raw(String head, byte[] body) throws Exception {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(body);
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // refused before the body's end: what matters is the answer
            }
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
