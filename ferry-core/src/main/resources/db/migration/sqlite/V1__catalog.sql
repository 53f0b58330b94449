-- Ferry catalog, schema 1 (SQLite). Times are epoch milliseconds; digests are 32 raw bytes.
CREATE TABLE repos (
    name         TEXT   PRIMARY KEY,
    description  TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    author_name  TEXT   NOT NULL,
    author_email TEXT   NOT NULL
);

CREATE TABLE bundles (
    id           TEXT   PRIMARY KEY,
    repo         TEXT   NOT NULL REFERENCES repos(name) ON DELETE CASCADE,
    parent_id    TEXT,
    message      TEXT   NOT NULL,
    author_name  TEXT   NOT NULL,
    author_email TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    file_count   BIGINT NOT NULL,
    total_bytes  BIGINT NOT NULL,
    manifest     BLOB   NOT NULL
);
CREATE INDEX bundles_by_repo ON bundles (repo, id);
CREATE INDEX bundles_by_manifest ON bundles (manifest, repo);

CREATE TABLE labels (
    repo         TEXT   NOT NULL REFERENCES repos(name) ON DELETE CASCADE,
    name         TEXT   NOT NULL,
    bundle_id    TEXT   NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
    updated_at   BIGINT NOT NULL,
    author_name  TEXT   NOT NULL,
    author_email TEXT   NOT NULL,
    PRIMARY KEY (repo, name)
);

CREATE TABLE label_moves (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    repo         TEXT   NOT NULL REFERENCES repos(name) ON DELETE CASCADE,
    label        TEXT   NOT NULL,
    from_bundle  TEXT,
    to_bundle    TEXT   NOT NULL,
    moved_at     BIGINT NOT NULL,
    author_name  TEXT   NOT NULL,
    author_email TEXT   NOT NULL
);
CREATE INDEX label_moves_by_label ON label_moves (repo, label, seq);

CREATE TABLE packs (
    id           TEXT    PRIMARY KEY,
    size         BIGINT  NOT NULL,
    blob_count   INTEGER NOT NULL,
    created_at   BIGINT  NOT NULL
);

CREATE TABLE blobs (
    digest       BLOB    PRIMARY KEY,
    pack_id      TEXT    NOT NULL,
    pack_offset  BIGINT  NOT NULL,
    length       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX blobs_by_pack ON blobs (pack_id);
