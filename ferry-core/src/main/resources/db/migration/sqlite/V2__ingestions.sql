-- Ferry catalog, schema 2 (SQLite): the rows table of each ingested bundle.
CREATE TABLE ingestions (
    repo          TEXT   NOT NULL REFERENCES repos(name) ON DELETE CASCADE,
    bundle_id     TEXT   NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
    category      TEXT   NOT NULL,
    rows_manifest BLOB   NOT NULL,
    row_count     BIGINT NOT NULL,
    columns       TEXT   NOT NULL,
    config        TEXT   NOT NULL,
    summary       TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (repo, bundle_id)
);
