package dev.ferry.core.auth;

import java.time.Instant;

/**
 * A named access token of a server, as listed (the secret is never kept: only its SHA-256).
 * {@code tables}: a glob of the tables it may use ({@code team_*}), or null for all; {@code readOnly}:
 * it may read but change nothing. {@code revokedAt} is null while it is valid.
 */
public record Token(String name, String tables, boolean readOnly, Instant createdAt, Instant revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }

    public Grant grant() {
        return new Grant.Scoped(name, tables, readOnly);
    }
}
