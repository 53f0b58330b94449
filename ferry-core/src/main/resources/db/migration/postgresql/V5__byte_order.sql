-- Ids and names sort by their bytes, as on SQLite and in Java: a bundle id's order is its creation order
-- ("newest last"), which a server's default collation (en-US and the like: 'a' before 'T') would break.
ALTER TABLE repos       ALTER COLUMN name        TYPE TEXT COLLATE "C";
ALTER TABLE bundles     ALTER COLUMN id          TYPE TEXT COLLATE "C";
ALTER TABLE bundles     ALTER COLUMN repo        TYPE TEXT COLLATE "C";
ALTER TABLE bundles     ALTER COLUMN parent_id   TYPE TEXT COLLATE "C";
ALTER TABLE labels      ALTER COLUMN repo        TYPE TEXT COLLATE "C";
ALTER TABLE labels      ALTER COLUMN name        TYPE TEXT COLLATE "C";
ALTER TABLE labels      ALTER COLUMN bundle_id   TYPE TEXT COLLATE "C";
ALTER TABLE label_moves ALTER COLUMN repo        TYPE TEXT COLLATE "C";
ALTER TABLE label_moves ALTER COLUMN label       TYPE TEXT COLLATE "C";
ALTER TABLE label_moves ALTER COLUMN from_bundle TYPE TEXT COLLATE "C";
ALTER TABLE label_moves ALTER COLUMN to_bundle   TYPE TEXT COLLATE "C";
ALTER TABLE packs       ALTER COLUMN id          TYPE TEXT COLLATE "C";
ALTER TABLE blobs       ALTER COLUMN pack_id     TYPE TEXT COLLATE "C";
ALTER TABLE ingestions  ALTER COLUMN repo        TYPE TEXT COLLATE "C";
ALTER TABLE ingestions  ALTER COLUMN bundle_id   TYPE TEXT COLLATE "C";
ALTER TABLE runs        ALTER COLUMN id          TYPE TEXT COLLATE "C";
ALTER TABLE run_events  ALTER COLUMN run_id      TYPE TEXT COLLATE "C";
