package dev.ferry.k8s;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The token the CLI presents to a cluster's Ferry server: a short-lived one for the release's
 * {@code ferry-ingest} ServiceAccount from TokenRequest (audience {@value TokenReviewAuthenticator#AUDIENCE}),
 * or, where the user may not request tokens, the long-lived one of a {@code kubernetes.io/service-account-token}
 * Secret of that account (made by an admin).
 *
 * @param expires null for a Secret's token, which does not expire
 */
public record IngestToken(String token, Instant expires, String source) {
    public static final Duration LIFETIME = Duration.ofHours(1);

    public static IngestToken mint(KubernetesClient client, String namespace) {
        KubernetesClientException refused;
        try {
            TokenRequest answer = client.serviceAccounts().inNamespace(namespace).withName(Manifests.INGEST_ACCOUNT)
                    .tokenRequest(new TokenRequestBuilder().withNewSpec().withAudiences(TokenReviewAuthenticator.AUDIENCE)
                            .withExpirationSeconds(LIFETIME.toSeconds()).endSpec().build());
            if (answer != null && answer.getStatus() != null && answer.getStatus().getToken() != null) {
                String expiry = answer.getStatus().getExpirationTimestamp();
                return new IngestToken(answer.getStatus().getToken(), expiry == null ? null : Instant.parse(expiry),
                        "TokenRequest for ServiceAccount " + namespace + "/" + Manifests.INGEST_ACCOUNT);
            }
            refused = null;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403 && e.getCode() != 404) {
                throw ClusterAccess.failure(e, "requesting a token for " + namespace + "/" + Manifests.INGEST_ACCOUNT);
            }
            refused = e;
        }
        // the fallback: a ServiceAccount token Secret an admin made for the account
        try {
            for (Secret s : client.secrets().inNamespace(namespace).list().getItems()) {
                var annotations = s.getMetadata().getAnnotations();
                if ("kubernetes.io/service-account-token".equals(s.getType()) && annotations != null
                        && Manifests.INGEST_ACCOUNT.equals(annotations.get("kubernetes.io/service-account.name"))
                        && s.getData() != null && s.getData().get("token") != null) {
                    return new IngestToken(new String(Base64.getDecoder().decode(s.getData().get("token")), StandardCharsets.UTF_8),
                            null, "Secret " + namespace + "/" + s.getMetadata().getName());
                }
            }
        } catch (KubernetesClientException e) {
            if (refused == null || e.getCode() != 403) {
                throw ClusterAccess.failure(e, "reading the ServiceAccount token Secrets of " + namespace);
            }
        }
        throw new FerryException(ErrorCode.FORBIDDEN, "no token for " + namespace + "/" + Manifests.INGEST_ACCOUNT
                + ": " + (refused != null ? "the cluster refused TokenRequest (" + (refused.getStatus() != null
                        && refused.getStatus().getMessage() != null ? refused.getStatus().getMessage() : refused.getMessage()) + ")"
                : "TokenRequest gave none") + ", and there is no service-account-token Secret of that account",
                "bind the release's 'ferry-client' Role to you (it allows serviceaccounts/token), or have an admin create"
                        + " a kubernetes.io/service-account-token Secret for " + Manifests.INGEST_ACCOUNT);
    }
}
