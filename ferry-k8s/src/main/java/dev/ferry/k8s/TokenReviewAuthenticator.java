package dev.ferry.k8s;

import dev.ferry.core.auth.Authenticator;
import dev.ferry.core.auth.Grant;
import dev.ferry.core.auth.Secrets;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Accepts a Kubernetes ServiceAccount token the cluster vouches for (TokenReview, audience
 * {@value #AUDIENCE}) and grants it the tables the release's authorization rules give that
 * ServiceAccount of that namespace; a ServiceAccount no rule names gets nothing. A review is asked
 * once per token a minute (kept by the SHA-256 of the token, never the token itself).
 */
public final class TokenReviewAuthenticator implements Authenticator {
    /** The audience the CLI asks TokenRequest for, and the review checks. */
    public static final String AUDIENCE = "ferry";
    private static final String PREFIX = "system:serviceaccount:";
    private static final Duration KEEP = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final Supplier<List<AuthorizationRule>> rules;
    private final Clock clock;
    private final ConcurrentHashMap<String, Reviewed> reviewed = new ConcurrentHashMap<>();

    private record Reviewed(Optional<Grant> grant, Instant until) {}

    public TokenReviewAuthenticator(KubernetesClient client, Supplier<List<AuthorizationRule>> rules, Clock clock) {
        this.client = client;
        this.rules = rules;
        this.clock = clock;
    }

    /** The rules of a mounted ConfigMap file, read again when it changes (a ConfigMap update reaches the pod). */
    public static Supplier<List<AuthorizationRule>> fromFile(Path file) {
        return new Supplier<>() {
            private volatile List<AuthorizationRule> cached = List.of();
            private volatile long stamp = -1;

            @Override
            public List<AuthorizationRule> get() {
                try {
                    long modified = Files.getLastModifiedTime(file).toMillis();
                    if (modified != stamp) {
                        cached = AuthorizationRule.readAll(Files.readString(file));
                        stamp = modified;
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // unreadable now: keep the rules read last (none at first: nobody is let in)
                }
                return cached;
            }
        };
    }

    @Override
    public Optional<Grant> authenticate(String bearer) {
        if (bearer == null || bearer.isEmpty() || bearer.startsWith("fy_")) {
            return Optional.empty(); // Ferry's own tokens are not the cluster's to judge
        }
        String key = java.util.HexFormat.of().formatHex(Secrets.hash(bearer));
        Instant now = clock.instant();
        Reviewed known = reviewed.get(key);
        if (known != null && known.until().isAfter(now)) {
            return known.grant();
        }
        Optional<Grant> grant = review(bearer);
        if (reviewed.size() > 10_000) {
            reviewed.clear(); // bounded: a flood of distinct tokens costs reviews, not memory
        }
        reviewed.put(key, new Reviewed(grant, now.plus(KEEP)));
        return grant;
    }

    private Optional<Grant> review(String bearer) {
        TokenReview answer;
        try {
            answer = client.tokenReviews().create(new TokenReviewBuilder().withNewSpec().withToken(bearer)
                    .withAudiences(AUDIENCE).endSpec().build());
        } catch (KubernetesClientException e) {
            throw ClusterAccess.failure(e, "checking a client's token with TokenReview");
        }
        if (answer == null || answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAuthenticated())
                || answer.getStatus().getUser() == null) {
            return Optional.empty();
        }
        String user = answer.getStatus().getUser().getUsername();
        if (user == null || !user.startsWith(PREFIX)) {
            return Optional.empty(); // only ServiceAccounts: the rules name nothing else
        }
        String[] parts = user.substring(PREFIX.length()).split(":", 2);
        if (parts.length != 2) {
            return Optional.empty();
        }
        List<String> tables = rules.get().stream()
                .filter(r -> r.namespace().equals(parts[0]) && r.serviceAccount().equals(parts[1]))
                .flatMap(r -> r.tables().stream()).toList();
        return tables.isEmpty() ? Optional.empty()
                : Optional.of(new Grant.Workload("ServiceAccount " + parts[0] + "/" + parts[1], tables));
    }
}
