package dev.ferry.k8s;

import dev.ferry.core.auth.Authenticator;
import dev.ferry.core.auth.AuthenticatorProvider;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * A server in a cluster release (FERRY_AUTHZ_FILE set, as the Deployment sets it) accepts
 * ServiceAccount tokens by TokenReview, with its own ServiceAccount's in-cluster credentials.
 */
public final class KubernetesAuthenticatorProvider implements AuthenticatorProvider {
    /** The mounted authorization rules (ConfigMap {@code ferry-authz}). */
    public static final String AUTHZ_FILE_ENV = "FERRY_AUTHZ_FILE";

    @Override
    public Optional<Authenticator> create(Map<String, String> env) {
        String file = env.get(AUTHZ_FILE_ENV);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        var client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
        return Optional.of(new TokenReviewAuthenticator(client, TokenReviewAuthenticator.fromFile(Path.of(file)),
                Clock.systemUTC()));
    }
}
