package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.server.FerryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team server as its users meet it: the admin makes a token scoped to some tables, a user logs in
 * with it, pushes to an allowed table, is refused (exit 5) elsewhere, switches contexts, and loses
 * access when the token is revoked.
 */
class TokensAndContextsCliTest {
    @TempDir
    Path tmp;
    FerryServer server;
    String admin = FerryServer.newToken();
    String url;

    @BeforeEach
    void start() {
        LocalFerry store = LocalFerry.open(new FerryHome(tmp.resolve("server-home")));
        store.startRunsAsServer();
        server = new FerryServer(store, admin, false);
        url = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        server.ferry().close();
    }

    private static CliRun.Result ok(CliRun ferry, String... args) {
        CliRun.Result r = ferry.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private String[] push(String dir, String table) {
        return new String[] {"dataset", "push", dir, "--table", table, "--category", "image_classification", "--intent",
            "train", "--label-column", "label"};
    }

    @Test
    void aScopedTokenLogsInPushesToItsTablesOnlyAndStopsWorkingWhenRevoked() throws Exception {
        CliRun adminCli = new CliRun(tmp.resolve("admin-home")).env("FERRY_SERVER", url).env("FERRY_TOKEN", admin);
        CliRun.Result created = ok(adminCli, "token", "create", "--name", "team-a", "--tables", "team_a_*");
        String secret = created.out().strip();
        assertThat(secret).startsWith("fy_").doesNotContain("\n");
        assertThat(created.err()).contains("shown this once");
        assertThat(ok(adminCli, "token", "list").out()).contains("team-a").contains("tables team_a_*").doesNotContain(secret);

        Path userHome = tmp.resolve("user-home");
        CliRun user = new CliRun(userHome);
        ok(user, "login", "--server", url, "--token", secret, "--name", "team");
        assertThat(Files.getPosixFilePermissions(userHome.resolve("contexts.yaml")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(ok(user, "context", "list").out()).contains("*  team").contains(url);

        String pets = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog")
                .images("p", 2, 32, 32).dir().toString();
        ok(user, push(pets, "team_a_pets"));
        String others = new DatasetBuilder(tmp.resolve("others")).csv("filename,label", "q0.jpg,cat", "q1.jpg,dog")
                .images("q", 2, 40, 40).dir().toString();
        int packs = server.ferry().store().index().listPacks().size();
        CliRun.Result refused = user.run(push(others, "team_b_pets"));
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(5);
        assertThat(server.ferry().store().index().listPacks()).as("refused before any data travelled").hasSize(packs);
        assertThat(refused.err()).contains("token 'team-a'").containsPattern("may not (read|change) table 'team_b_pets'");
        assertThat(ok(adminCli, "repo", "list").out()).contains("team_a_pets").doesNotContain("team_b_pets");

        // a wrong login is refused and changes nothing
        CliRun.Result wrong = user.run("login", "--server", url, "--token", "fy_wrong", "--name", "other");
        assertThat(wrong.exit()).isEqualTo(5);
        assertThat(ok(user, "context", "list").out()).doesNotContain("other");
        // the local server again, and back by name
        ok(user, "context", "use", "local");
        assertThat(ok(user, "context", "list").out()).doesNotContain("*");
        assertThat(ok(user, "--context", "team", "dataset", "list").out()).contains("team_a_pets");
        CliRun.Result unknown = user.run("--context", "nope", "repo", "list");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no context named 'nope'");

        ok(adminCli, "token", "revoke", "--name", "team-a");
        CliRun.Result revoked = user.run("--context", "team", "repo", "list");
        assertThat(revoked.exit()).as(revoked.toString()).isEqualTo(5);
        ok(user, "context", "delete", "team");
        assertThat(ok(user, "context", "list").err()).contains("No contexts");
    }
}
