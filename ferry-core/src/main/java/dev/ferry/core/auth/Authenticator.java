package dev.ferry.core.auth;

import java.util.Optional;

/**
 * Another way a server may accept a bearer token than its admin token and its named tokens: a
 * Kubernetes ServiceAccount token checked with TokenReview, for one. Found through
 * {@link AuthenticatorProvider}.
 */
public interface Authenticator {
    /** What the bearer may do, or empty if this authenticator does not vouch for it. */
    Optional<Grant> authenticate(String bearer);
}
