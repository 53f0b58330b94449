package dev.ferry.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.auth.Grant;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TokenRequest on the CLI's side, TokenReview and the authorization rules on the server's. */
class TokenAuthTest {
    @TempDir
    Path tmp;
    MockCluster cluster;
    KubernetesClient client;
    final AtomicInteger reviews = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        cluster = MockCluster.start(tmp);
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        client.close();
        cluster.close();
    }

    @Test
    void aServiceAccountTheClusterVouchesForGetsTheTablesItsRulesNameAndNoMore() throws Exception {
        cluster.answer(r -> r.getMethod().equals("POST") && r.getPath().startsWith("/apis/authentication.k8s.io/v1/tokenreviews"),
                201, request -> {
                    reviews.incrementAndGet();
                    var review = Serialization.unmarshal(request.getUtf8Body(), io.fabric8.kubernetes.api.model.authentication.TokenReview.class);
                    String token = review.getSpec().getToken();
                    assertThat(review.getSpec().getAudiences()).containsExactly("ferry");
                    var status = new TokenReviewBuilder().withNewStatus();
                    if (token.startsWith("sa:")) {
                        String[] p = token.split(":");
                        status.withAuthenticated(true).withNewUser().withUsername("system:serviceaccount:" + p[1] + ":" + p[2]).endUser();
                    } else if (token.equals("a-person")) {
                        status.withAuthenticated(true).withNewUser().withUsername("ada@example.com").endUser();
                    } else {
                        status.withAuthenticated(false);
                    }
                    return Serialization.asJson(status.endStatus().build());
                });
        Path rulesFile = Files.writeString(tmp.resolve("rules.yaml"), "rules:\n- namespace: team-a\n  serviceAccount: trainer\n"
                + "  tables: ['team_a_*', 'shared_?']\n");
        var auth = new TokenReviewAuthenticator(client, TokenReviewAuthenticator.fromFile(rulesFile), Clock.systemUTC());

        Grant trainer = auth.authenticate("sa:team-a:trainer").orElseThrow();
        assertThat(trainer.allows("team_a_pets", true)).isTrue();
        assertThat(trainer.allows("shared_1", true)).isTrue();
        assertThat(trainer.allows("team_b_pets", false)).isFalse();
        assertThat(trainer.admin()).isFalse();
        assertThat(trainer.who()).contains("team-a/trainer");
        assertThat(auth.authenticate("sa:team-b:trainer")).as("no rule names it").isEmpty();
        assertThat(auth.authenticate("forged")).isEmpty();
        assertThat(auth.authenticate("a-person")).as("only ServiceAccounts").isEmpty();
        assertThat(auth.authenticate("fy_named_token")).as("Ferry's own tokens are not reviewed").isEmpty();
        int asked = reviews.get();
        auth.authenticate("sa:team-a:trainer");
        assertThat(reviews.get()).as("a token is reviewed once a minute, not per request").isEqualTo(asked);

        // a ConfigMap update reaches the mounted file: the new rules apply (to tokens reviewed from then on)
        Files.writeString(rulesFile, "rules:\n- namespace: team-b\n  serviceAccount: builder\n  tables: ['team_b_*']\n");
        Files.setLastModifiedTime(rulesFile, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(auth.authenticate("sa:team-b:builder")).isPresent();
    }

    @Test
    void theCliMintsAShortLivedTokenOrFallsBackToAServiceAccountTokenSecret() {
        cluster.answer(r -> r.getMethod().equals("POST") && r.getPath().equals("/api/v1/namespaces/ml/serviceaccounts/ferry-ingest/token"),
                201, request -> {
                    var asked = Serialization.unmarshal(request.getUtf8Body(), io.fabric8.kubernetes.api.model.authentication.TokenRequest.class);
                    assertThat(asked.getSpec().getAudiences()).containsExactly("ferry");
                    assertThat(asked.getSpec().getExpirationSeconds()).isEqualTo(3600L);
                    return Serialization.asJson(new TokenRequestBuilder().withNewStatus().withToken("minted")
                            .withExpirationTimestamp("2026-12-07T12:00:00Z").endStatus().build());
                });
        IngestToken minted = IngestToken.mint(client, "ml");
        assertThat(minted.token()).isEqualTo("minted");
        assertThat(minted.expires()).isEqualTo(Instant.parse("2026-12-07T12:00:00Z"));

        cluster.forbid("POST", "/api/v1/namespaces/locked/serviceaccounts/ferry-ingest/token",
                "serviceaccounts \"ferry-ingest\" is forbidden: User \"ada\" cannot create resource \"serviceaccounts/token\"");
        FerryException none = failure(() -> IngestToken.mint(client, "locked"));
        assertThat(none.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(none.getMessage()).contains("cannot create resource", "no service-account-token Secret");
        client.secrets().inNamespace("locked").resource(new SecretBuilder().withNewMetadata().withName("ingest-token")
                .withNamespace("locked").withAnnotations(Map.of("kubernetes.io/service-account.name", "ferry-ingest")).endMetadata()
                .withType("kubernetes.io/service-account-token")
                .withData(Map.of("token", Base64.getEncoder().encodeToString("long-lived".getBytes(StandardCharsets.UTF_8))))
                .build()).create();
        IngestToken fallback = IngestToken.mint(client, "locked");
        assertThat(fallback.token()).isEqualTo("long-lived");
        assertThat(fallback.expires()).isNull();
        assertThat(fallback.source()).contains("Secret locked/ingest-token");
    }

    private static FerryException failure(Runnable call) {
        try {
            call.run();
        } catch (FerryException e) {
            return e;
        }
        throw new AssertionError("no FerryException");
    }
}
