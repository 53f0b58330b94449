package dev.ferry.server.ui;

import dev.ferry.core.auth.LoginTickets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in browsers: a random session id (the {@value #COOKIE} cookie, HttpOnly and SameSite=Strict)
 * names the credential the browser logged in with. The credential, not a grant, is kept: every request
 * checks it again, so a revoked token ends its sessions at once. Sessions live in the server's memory
 * for {@link #IDLE} after their last request; a restarted server asks for a new login.
 */
final class UiSessions {
    static final String COOKIE = "ferry_session";
    static final Duration IDLE = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Session(LoginTickets.Credential credential, Instant lastUsed) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    String open(LoginTickets.Credential credential) {
        Instant now = Instant.now();
        sessions.values().removeIf(s -> s.lastUsed().plus(IDLE).isBefore(now));
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(credential, now));
        return id;
    }

    /** The session's credential, its idle time restarted; empty for an unknown or expired session. */
    Optional<LoginTickets.Credential> credential(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        Session s = sessions.computeIfPresent(id, (k, old) -> old.lastUsed().plus(IDLE).isBefore(now) ? null
                : new Session(old.credential(), now));
        return s == null ? Optional.empty() : Optional.of(s.credential());
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }
}
