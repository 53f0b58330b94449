package dev.ferry.core.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A server's named tokens (SQLite or PostgreSQL, beside the catalog). Every implementation must pass
 * {@code TokenStoreContract}.
 */
public interface TokenStore {
    /** Records a new token by the SHA-256 of its secret; CONFLICT if the name is taken (also by a revoked one). */
    Token create(String name, byte[] secretHash, String tables, boolean readOnly, Instant at);

    /** The token whose secret has this SHA-256, revoked or not. */
    Optional<Token> findByHash(byte[] secretHash);

    /** Every token, by name. */
    List<Token> list();

    /** Revokes a token; NOT_FOUND if there is none of that name. Revoking twice keeps the first time. */
    Token revoke(String name, Instant at);
}
