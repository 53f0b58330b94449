-- Ferry catalog, schema 9: claims. A claim is a named turn that one holder at a time has, until its
-- lease runs out: a run's turn on its table ('table:<name>', held by the run id and renewed with the
-- run's lease), gc's turn on the store ('store:gc'), so that servers sharing this database take turns.
CREATE TABLE claims (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    lease_until BIGINT NOT NULL
);
CREATE INDEX claims_by_holder ON claims (holder);
