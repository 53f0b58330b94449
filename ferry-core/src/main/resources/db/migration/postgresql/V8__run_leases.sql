-- Ferry catalog, schema 8: run leases. The server that runs a run renews its lease by heartbeat;
-- a run whose lease ran out (its server died or lost the catalog) is settled by any server sharing
-- the catalog. Null for runs from before this schema (settled by owner, as schema 4 describes).
ALTER TABLE runs ADD COLUMN lease_until BIGINT;
CREATE INDEX runs_by_lease ON runs (lease_until);
