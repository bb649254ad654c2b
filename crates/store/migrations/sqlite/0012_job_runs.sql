-- Daily background jobs claimed per day (SQLite): with several instances on one database the
-- first to insert the day's row runs the job; a claim left unfinished by an instance that died
-- is taken over once it is stale.

CREATE TABLE job_runs (
    job         TEXT NOT NULL,
    day         TEXT NOT NULL,
    holder      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (job, day)
);
