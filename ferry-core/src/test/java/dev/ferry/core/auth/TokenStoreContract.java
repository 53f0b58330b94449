package dev.ferry.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TokenStore} must do, on SQLite and PostgreSQL alike. */
abstract class TokenStoreContract {
    JdbcDatabase catalog;
    TokenStore tokens;

    abstract JdbcDatabase newCatalog() throws Exception;

    @BeforeEach
    void open() throws Exception {
        catalog = newCatalog();
        tokens = new JdbcTokenStore(catalog.dataSource(), catalog.describe());
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    @Test
    void tokensAreFoundByTheHashOfTheirSecretListedAndRevoked() {
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        String secret = Secrets.newSecret();
        Token made = tokens.create("ci", Secrets.hash(secret), "team_*", true, at);
        assertThat(made).isEqualTo(new Token("ci", "team_*", true, at, null));
        assertThat(tokens.findByHash(Secrets.hash(secret))).contains(made);
        assertThat(tokens.findByHash(Secrets.hash(secret + "x"))).isEmpty();
        tokens.create("all", Secrets.hash(Secrets.newSecret()), null, false, at);
        assertThat(tokens.list()).extracting(Token::name).containsExactly("all", "ci");
        assertThatThrownBy(() -> tokens.create("ci", Secrets.hash(Secrets.newSecret()), null, false, at))
                .isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.CONFLICT));
        Token revoked = tokens.revoke("ci", at.plusSeconds(60));
        assertThat(revoked.revokedAt()).isEqualTo(at.plusSeconds(60));
        assertThat(tokens.revoke("ci", at.plusSeconds(120)).revokedAt()).isEqualTo(at.plusSeconds(60));
        assertThat(tokens.findByHash(Secrets.hash(secret)).orElseThrow().revoked()).isTrue();
        assertThatThrownBy(() -> tokens.revoke("nope", at)).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void grantsFollowTheScope() {
        Grant team = new Grant.Scoped("t", "team_a_*", false);
        assertThat(team.allows("team_a_cats", true)).isTrue();
        assertThat(team.allows("team_b_cats", false)).isFalse();
        Grant reader = new Grant.Scoped("r", null, true);
        assertThat(reader.allows("anything", false)).isTrue();
        assertThat(reader.allows("anything", true)).isFalse();
        assertThat(new Grant.Scoped("q", "a?c", false).allows("abc", true)).isTrue();
        assertThat(new Grant.Scoped("q", "a.c", false).allows("abc", true)).as("dots are literal").isFalse();
    }
}
