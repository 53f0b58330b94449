-- Ferry catalog, schema 4: which process runs each run (dev.ferry.core.run.RunOwner), so that a
-- process that starts settles only the runs nobody runs any more: several processes share a catalog
-- (the local server and a CLI with FERRY_IN_PROCESS=1; servers of several machines on PostgreSQL).
-- Runs from before this schema have none.
ALTER TABLE runs ADD COLUMN owner TEXT;
