package dev.ferry.core.auth;

import java.util.Map;
import java.util.Optional;

/**
 * Makes an {@link Authenticator} when the server's environment asks for one (a module on the class
 * path registers it in {@code META-INF/services}; the server asks each at start).
 */
public interface AuthenticatorProvider {
    /** An authenticator for this environment, or empty when it is not configured here. */
    Optional<Authenticator> create(Map<String, String> env);
}
