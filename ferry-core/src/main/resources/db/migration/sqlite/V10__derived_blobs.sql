-- Blobs made from another blob's content (a thumbnail of an image), made once by whichever server
-- needed them first and shared through the store. 'source' is the content digest of what they were
-- made from, 'kind' what was made ('thumbnail-192'), 'derived' the made blob's digest (the source's own
-- digest when it serves as it is), or NULL when nothing can be made of that content. Not journaled: a
-- catalog rebuilt from its journal makes them again; gc forgets a record once its source is gone.
CREATE TABLE derived_blobs (
    source   BLOB    NOT NULL,
    kind     TEXT    NOT NULL,
    derived  BLOB,
    made_at  BIGINT  NOT NULL,
    PRIMARY KEY (source, kind)
) WITHOUT ROWID;
