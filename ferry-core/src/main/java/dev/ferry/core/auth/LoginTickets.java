package dev.ferry.core.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time login links for the web UI ({@code ferry ui}): a ticket stands for the credential of whoever
 * asked for it, is good once, and only for {@link #LIFETIME}, so that a link left in a terminal's
 * scroll-back or a shell history opens nothing later. Kept in the server's memory: a restarted server
 * forgets its tickets (ask for another).
 */
public final class LoginTickets {
    public static final Duration LIFETIME = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a redeemed ticket gives: the asker's bearer token, or none for the server's own user (admin). */
    public record Credential(String bearer) {
        public static final Credential SERVER_OWNER = new Credential(null);
    }

    private record Pending(Credential credential, Instant expires) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** A new ticket for {@code credential}; returns the ticket and when it expires. */
    public Issued issue(Credential credential) {
        Instant now = Instant.now();
        pending.values().removeIf(p -> p.expires().isBefore(now)); // forget the unused ones
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = now.plus(LIFETIME);
        pending.put(ticket, new Pending(credential, expires));
        return new Issued(ticket, expires);
    }

    /** The ticket's credential, once: a second redeem, an unknown or an expired ticket gives nothing. */
    public Optional<Credential> redeem(String ticket) {
        if (ticket == null) {
            return Optional.empty();
        }
        Pending p = pending.remove(ticket);
        return p == null || p.expires().isBefore(Instant.now()) ? Optional.empty() : Optional.of(p.credential());
    }

    /** A ticket handed out: the login link's secret and its expiry. */
    public record Issued(String ticket, Instant expiresAt) {}
}
