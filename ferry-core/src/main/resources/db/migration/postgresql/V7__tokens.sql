-- Named access tokens of a server (issue 25): stored as the SHA-256 of the secret, optionally scoped
-- to tables matching a glob and/or read-only; a revoked token keeps its row (revoked_at set).
CREATE TABLE tokens (
    name        TEXT    COLLATE "C" PRIMARY KEY,
    hash        BYTEA   NOT NULL UNIQUE,
    tables      TEXT,
    read_only   BOOLEAN NOT NULL,
    created_at  BIGINT  NOT NULL,
    revoked_at  BIGINT
);
