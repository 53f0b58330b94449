package dev.ferry.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.api.PushRequest;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.model.Json;
import dev.ferry.core.transfer.TransferListener;
import dev.ferry.server.FerryServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI over real HTTP: logins (one-time tickets, tokens, sessions that end with their token),
 * what each page shows for a pushed image table, thumbnails, escaping of what the data holds, and the
 * refusals (no session, a table out of the token's scope, a bad filter, an open redirect).
 */
class WebUiTest {
    static final ConfigFlags PETS = new ConfigFlags("pets", "image_classification", "train", "label", null, null, null,
            null, null, null, null, null, null);

    @TempDir
    Path tmp;
    FerryServer server;
    LocalFerry ferry;
    String admin = FerryServer.newToken();
    String root;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        ferry = LocalFerry.open(new FerryHome(tmp.resolve("home")));
        server = new FerryServer(ferry, admin, true);
        root = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        // the label of one record is markup: pages must show it as text
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog",
                "p2.jpg,<b>x</b>").images("p", 3, 48, 32);
        ferry.push(new PushRequest(d.dir(), null, PETS, "first", null), TransferListener.NONE);
        Files.writeString(d.dir().resolve("labels.csv"), "filename,label\np0.jpg,dog\np1.jpg,dog\np2.jpg,<b>x</b>\n");
        ferry.push(new PushRequest(d.dir(), null, PETS, "second", null), TransferListener.NONE);
    }

    @AfterEach
    void stop() {
        server.close();
        ferry.close();
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, String form, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionCookie(HttpResponse<?> r) {
        String set = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError("no cookie set: " + r));
        assertThat(set).contains("HttpOnly", "SameSite=Strict", "Path=/");
        return set.substring(0, set.indexOf(';'));
    }

    /** Logs in with a one-time ticket asked for with {@code bearer}, as 'ferry ui' does. */
    private String loginWithTicket(String bearer) throws Exception {
        HttpResponse<String> issued = http.send(HttpRequest.newBuilder(URI.create(root + "/api/v1/ui/tickets"))
                .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String ticket = Json.MAPPER.readTree(issued.body()).path("ticket").asText();
        HttpResponse<String> login = get("/ui/login?ticket=" + ticket, null);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValue("/ui/");
        String cookie = sessionCookie(login);
        // good once
        HttpResponse<String> again = get("/ui/login?ticket=" + ticket, null);
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("used already or has expired", "ferry ui");
        return cookie;
    }

    @Test
    void withoutASessionEveryPageLeadsToTheLoginAndBack() throws Exception {
        assertThat(get("/", null).headers().firstValue("Location")).hasValue("/ui/");
        HttpResponse<String> rows = get("/ui/datasets/pets/rows?label=cat", null);
        assertThat(rows.statusCode()).isEqualTo(302);
        String location = rows.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/ui/login?next=");
        HttpResponse<String> page = get(location, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"token\"", "value=\"/ui/datasets/pets/rows?label=cat\"");
        // a token logs in and returns to the page asked for
        HttpResponse<String> login = postForm("/ui/login", "token=" + admin + "&next="
                + URLEncoder.encode("/ui/datasets/pets/rows?label=cat", StandardCharsets.UTF_8), null);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValue("/ui/datasets/pets/rows?label=cat");
        assertThat(get("/ui/", sessionCookie(login)).body()).contains("pets");
        // never to another site
        HttpResponse<String> elsewhere = postForm("/ui/login", "token=" + admin + "&next=//evil.example/x", null);
        assertThat(elsewhere.headers().firstValue("Location")).hasValue("/ui/");
        HttpResponse<String> wrong = postForm("/ui/login", "token=nope", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("not valid for this server");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(get("/ui/", "ferry_session=made-up").statusCode()).isEqualTo(302);
    }

    @Test
    void pagesShowTheTableItsVersionsRowsThumbnailsAndDiff() throws Exception {
        String cookie = loginWithTicket(admin);
        String datasets = get("/ui/", cookie).body();
        assertThat(datasets).contains("<a href=\"/ui/datasets/pets\">pets</a>", "image_classification");

        HttpResponse<String> table = get("/ui/datasets/pets", cookie);
        assertThat(table.statusCode()).isEqualTo(200);
        assertThat(table.body()).contains("first", "second", "<span class=\"tag\">latest</span>", "id=\"histogram\"",
                        "id=\"columns\"", "<td>data_id</td><td>VARCHAR</td>")
                .contains("&lt;b&gt;x&lt;/b&gt;").doesNotContain("<b>x</b>");

        HttpResponse<String> rows = get("/ui/datasets/pets/rows", cookie);
        assertThat(rows.statusCode()).isEqualTo(200);
        assertThat(rows.headers().firstValue("Server-Timing").orElse("")).startsWith("rows;dur=");
        String body = rows.body();
        assertThat(body).contains("Rows 1–3 of 3", "p0.jpg", "&lt;b&gt;x&lt;/b&gt;").doesNotContain("<b>x</b>");
        Matcher thumb = Pattern.compile("src=\"(/ui/thumbnails/pets/[^\"]+)\"").matcher(body);
        assertThat(thumb.find()).as(body).isTrue();
        String thumbnailUrl = thumb.group(1).replace("&amp;", "&");
        HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(URI.create(root + thumbnailUrl)).header("Cookie", cookie)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        // a 48×32 JPEG is its own thumbnail: sent as stored
        assertThat(image.body()).isEqualTo(Files.readAllBytes(tmp.resolve("pets/images/p0.jpg")));
        assertThat(image.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        assertThat(get(thumbnailUrl.replace("p0.jpg", "nope.jpg"), cookie).statusCode()).isEqualTo(404);
        // the page had the version's other thumbnails made ahead, into the store: shown again, it says they are
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!get("/ui/datasets/pets/rows", cookie).body().contains("id=\"thumbnails\" data-done=\"true\"")) {
            assertThat(System.nanoTime()).as("thumbnails made within 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        java.util.List<dev.ferry.core.model.Digest> images = new java.util.ArrayList<>();
        ferry.listFiles("pets", dev.ferry.core.model.BundleRef.label("latest"), f -> {
            if (f.path().startsWith("images/")) {
                images.add(f.digest());
            }
        });
        assertThat(images).hasSize(3);
        assertThat(ferry.derivedBlobs().find(Thumbnails.KIND, images)).hasSize(3)
                .allSatisfy((source, made) -> assertThat(made.derived()).as("each is its own").contains(source));

        // filters: by label, by expression; a bad expression is said on the page, not a failure
        assertThat(get("/ui/datasets/pets/rows?label=dog", cookie).body()).contains("Rows 1–2 of 2 that the filter keeps");
        assertThat(get("/ui/datasets/pets/rows?where=" + URLEncoder.encode("filename = 'p1.jpg'", StandardCharsets.UTF_8),
                cookie).body()).contains("Rows 1–1 of 1");
        HttpResponse<String> bad = get("/ui/datasets/pets/rows?where=" + URLEncoder.encode("read_text('/etc/passwd') = 1",
                StandardCharsets.UTF_8), cookie);
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(bad.body()).contains("id=\"filter-error\"", "Rows 0–0 of 0");
        assertThat(get("/ui/datasets/pets/rows?offset=-1", cookie).statusCode()).isEqualTo(400);

        String versions = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(root + "/api/v1/datasets/pets/versions"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).body()).get(0).path("bundleId").asText();
        HttpResponse<String> diff = get("/ui/datasets/pets/diff?from=" + versions + "&to=latest", cookie);
        assertThat(diff.statusCode()).isEqualTo(200);
        assertThat(diff.body()).contains("id=\"count-changed\">1<", "id=\"count-added\">0<", "<td>cat</td><td>dog</td>")
                .contains("alt=\"before\"", "alt=\"after\"");
        assertThat(get("/ui/datasets/pets/diff?from=" + versions, cookie).statusCode()).isEqualTo(400);

        assertThat(get("/ui/datasets/nope", cookie).statusCode()).isEqualTo(404);
        assertThat(get("/ui/datasets/nope", cookie).body()).contains("Not found", "no dataset table 'nope'");
        String runs = get("/ui/runs", cookie).body();
        Matcher run = Pattern.compile("href=\"/ui/runs/([^\"]+)\"").matcher(runs);
        assertThat(run.find()).isTrue();
        String page = get("/ui/runs/" + run.group(1), cookie).body();
        assertThat(page).contains("id=\"percent\">100<", "data-terminal=\"true\"", "3 records");
        assertThat(get("/ui/static/run.js", null).body()).contains("EventSource");
        assertThat(get("/ui/static/../../FerryServer.class", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aSessionHasItsTokensAccessAndEndsWithIt() throws Exception {
        String scoped = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(root + "/api/v1/tokens"))
                .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"viewer\",\"tables\":\"other_*\",\"readOnly\":true}")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("secret").asText();
        String cookie = loginWithTicket(scoped);
        assertThat(get("/ui/", cookie).body()).doesNotContain("/ui/datasets/pets");
        HttpResponse<String> refused = get("/ui/datasets/pets/rows", cookie);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("may not read table 'pets'");
        assertThat(get("/ui/runs", cookie).body()).doesNotContain("/ui/runs/3");
        // the cookie reads the API too (the event stream, exports), never changes anything
        String adminCookie = loginWithTicket(admin);
        assertThat(get("/api/v1/datasets/pets/rows?format=jsonl", adminCookie).body().lines()).hasSize(3);
        HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(root + "/api/v1/repos")).header("Cookie", adminCookie)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"description\":\"\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).isEqualTo(401);
        // revoking the token ends its sessions at once; logging out ends one
        http.send(HttpRequest.newBuilder(URI.create(root + "/api/v1/tokens/viewer")).header("Authorization", "Bearer " + admin)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get("/ui/", cookie).statusCode()).isEqualTo(302);
        assertThat(postForm("/ui/logout", "", adminCookie).statusCode()).isEqualTo(302);
        assertThat(get("/ui/", adminCookie).statusCode()).isEqualTo(302);
    }
}
