-- Blobs found damaged or missing (by fsck, a read, a commit's check). Their index rows are gone, so
-- that the next upload of the same content stores it again; a new copy deletes the record (healed).
CREATE TABLE damaged_blobs (
    digest       BLOB    PRIMARY KEY,
    pack_id      TEXT    NOT NULL,
    pack_offset  BIGINT  NOT NULL,
    length       INTEGER NOT NULL,
    reason       TEXT    NOT NULL,
    found_at     BIGINT  NOT NULL
) WITHOUT ROWID;
