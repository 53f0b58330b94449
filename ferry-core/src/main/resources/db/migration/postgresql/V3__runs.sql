-- Ferry catalog, schema 3: runs and their append-only event log. A run's state is folded from its
-- events; nothing else records it.
CREATE TABLE runs (
    id              TEXT   PRIMARY KEY,
    kind            TEXT   NOT NULL,
    idempotency_key TEXT   UNIQUE,
    spec            TEXT   NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE TABLE run_events (
    run_id TEXT   NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq    BIGINT NOT NULL,
    type   TEXT   NOT NULL,
    at     BIGINT NOT NULL,
    body   TEXT   NOT NULL,
    PRIMARY KEY (run_id, seq)
);
