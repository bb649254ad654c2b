-- Daily background jobs claimed per day (PostgreSQL): with several instances on one database the
-- first to insert the day's row runs the job; a claim left unfinished by an instance that died
-- is taken over once it is stale.

CREATE TABLE job_runs (
    job         TEXT NOT NULL,
    day         DATE NOT NULL,
    holder      TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    PRIMARY KEY (job, day)
);
