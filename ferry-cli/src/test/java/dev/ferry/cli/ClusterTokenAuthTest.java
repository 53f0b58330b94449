package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.k8s.MockCluster;
import dev.ferry.k8s.TokenReviewAuthenticator;
import dev.ferry.server.FerryServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster's Ferry server accepting ServiceAccount tokens: the real server and CLI, the cluster's
 * TokenReview answered by fabric8's mock API, the release's authorization rules from their file.
 */
class ClusterTokenAuthTest {
    @TempDir
    Path tmp;
    MockCluster cluster;
    KubernetesClient kube;
    FerryServer server;
    String url;

    @BeforeEach
    void start() throws Exception {
        cluster = MockCluster.start(tmp.resolve("kube"));
        cluster.reviewServiceAccountTokens();
        kube = cluster.client();
        Path rules = Files.writeString(tmp.resolve("rules.yaml"),
                "rules:\n- namespace: team-a\n  serviceAccount: trainer\n  tables: ['team_a_*']\n");
        LocalFerry store = LocalFerry.open(new FerryHome(tmp.resolve("server-home")));
        store.startRunsAsServer();
        server = new FerryServer(store, FerryServer.newToken(), false,
                List.of(new TokenReviewAuthenticator(kube, TokenReviewAuthenticator.fromFile(rules), Clock.systemUTC())));
        url = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        server.ferry().close();
        kube.close();
        cluster.close();
    }

    private String[] push(Path dir, String table) {
        return new String[] {"dataset", "push", dir.toString(), "--table", table, "--category", "image_classification",
            "--intent", "train", "--label-column", "label"};
    }

    @Test
    void aServiceAccountTokenPushesToTheTablesItsRulesNameOnly() throws Exception {
        DatasetBuilder d = new DatasetBuilder(tmp.resolve("pets")).csv("filename,label", "p0.jpg,cat", "p1.jpg,dog")
                .images("p", 2, 32, 32);
        CliRun trainer = new CliRun(tmp.resolve("client")).env("FERRY_SERVER", url).env("FERRY_TOKEN", "sa:team-a:trainer");
        CliRun.Result allowed = trainer.run(push(d.dir(), "team_a_pets"));
        assertThat(allowed.exit()).as(allowed.toString()).isZero();
        assertThat(server.ferry().listDatasets()).extracting(ds -> ds.table()).containsExactly("team_a_pets");

        CliRun.Result elsewhere = trainer.run(push(d.dir(), "team_b_pets"));
        assertThat(elsewhere.exit()).as(elsewhere.toString()).isEqualTo(5);
        assertThat(elsewhere.err()).contains("team-a/trainer");

        CliRun other = new CliRun(tmp.resolve("client2")).env("FERRY_SERVER", url).env("FERRY_TOKEN", "sa:team-b:trainer");
        assertThat(other.run("repo", "list").exit()).as("a ServiceAccount no rule names").isEqualTo(5);
        CliRun forged = new CliRun(tmp.resolve("client3")).env("FERRY_SERVER", url).env("FERRY_TOKEN", "forged");
        assertThat(forged.run("repo", "list").exit()).isEqualTo(5);
        assertThat(trainer.run("token", "list").exit()).as("no admin rights").isEqualTo(5);
    }
}
