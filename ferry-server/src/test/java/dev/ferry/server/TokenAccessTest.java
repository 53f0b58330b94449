package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named tokens over HTTP: created by the admin token, scoped to tables and/or read-only, revoked. */
class TokenAccessTest {
    @TempDir
    Path tmp;
    FerryServer server;
    String admin = FerryServer.newToken();
    String base;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = new FerryServer(LocalFerry.open(new FerryHome(tmp.resolve("home"))), admin, false);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/api/v1";
    }

    @AfterEach
    void stop() {
        server.close();
        server.ferry().close();
    }

    private HttpResponse<String> send(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + bearer);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String body) throws Exception {
        HttpResponse<String> made = send("POST", "/tokens", body, admin);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode created = Json.MAPPER.readTree(made.body());
        assertThat(created.at("/secret").asText()).startsWith("fy_");
        return created.at("/secret").asText();
    }

    private static void forbidden(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        JsonNode e = Json.MAPPER.readTree(r.body()).get("error");
        assertThat(e.get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(e.get("exitCode").asInt()).isEqualTo(5);
    }

    @Test
    void aScopedTokenWorksOnItsTablesOnlyAndAReadOnlyOneChangesNothing() throws Exception {
        String team = token("{\"name\": \"team-a\", \"tables\": \"team_a_*\"}");
        String reader = token("{\"name\": \"reader\", \"readOnly\": true}");
        assertThat(send("POST", "/repos", "{\"name\": \"team_a_cats\"}", team).statusCode()).isEqualTo(201);
        forbidden(send("POST", "/repos", "{\"name\": \"team_b_dogs\"}", team));
        assertThat(send("POST", "/repos", "{\"name\": \"team_b_dogs\"}", admin).statusCode()).isEqualTo(201);
        // lists show only what the token may read
        List<String> listed = new java.util.ArrayList<>();
        Json.MAPPER.readTree(send("GET", "/repos", null, team).body()).forEach(repo -> listed.add(repo.get("name").asText()));
        assertThat(listed).containsExactly("team_a_cats");
        forbidden(send("GET", "/repos/team_b_dogs", null, team));
        forbidden(send("DELETE", "/repos/team_b_dogs", null, team));
        // a run to a table outside the scope is refused before it starts
        forbidden(send("POST", "/runs", "{\"spec\": {\"kind\": \"upload\", \"path\": \"/x\", \"repo\": \"team_b_dogs\"}}", team));
        forbidden(send("POST", "/runs", "{\"spec\": {\"kind\": \"push\", \"path\": \"/x\", \"configText\":"
                + " \"table: team_b_dogs\\ncategory: image_classification\\n\"}}", team));
        // read-only: reads everything, changes nothing
        assertThat(send("GET", "/repos/team_b_dogs", null, reader).statusCode()).isEqualTo(200);
        forbidden(send("POST", "/repos", "{\"name\": \"mine\"}", reader));
        forbidden(send("POST", "/blobs/missing", "{\"digests\": []}", reader));
        // named tokens do not manage the server
        forbidden(send("POST", "/tokens", "{\"name\": \"more\"}", team));
        forbidden(send("POST", "/gc", "{\"graceSeconds\": 0}", team));
        forbidden(send("GET", "/tokens", null, reader));
    }

    @Test
    void tokensAreListedWithoutSecretsNamesAreNeverReusedAndRevokedOnesStopWorking() throws Exception {
        String secret = token("{\"name\": \"ci\"}");
        assertThat(send("GET", "/repos", null, secret).statusCode()).isEqualTo(200);
        HttpResponse<String> listed = send("GET", "/tokens", null, admin);
        assertThat(listed.body()).contains("\"ci\"").doesNotContain(secret).doesNotContain("hash");
        assertThat(send("POST", "/tokens", "{\"name\": \"ci\"}", admin).statusCode()).isEqualTo(409);
        assertThat(send("POST", "/tokens", "{\"name\": \"bad name!\"}", admin).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/tokens", "{\"name\": \"x\", \"tables\": \"a;drop\"}", admin).statusCode()).isEqualTo(400);
        HttpResponse<String> revoked = send("DELETE", "/tokens/ci", null, admin);
        assertThat(Json.MAPPER.readTree(revoked.body()).get("revokedAt").isNull()).isFalse();
        assertThat(send("GET", "/repos", null, secret).statusCode()).isEqualTo(401);
        assertThat(send("DELETE", "/tokens/nope", null, admin).statusCode()).isEqualTo(404);
        // the admin token still works
        assertThat(send("GET", "/repos", null, admin).statusCode()).isEqualTo(200);
    }
}
