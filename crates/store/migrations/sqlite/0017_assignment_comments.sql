-- Comments on an assignment between its lead unit, the coordinating units and the monitor.
-- The author's unit is kept as it was when writing, so the thread reads the same after a move.
CREATE TABLE assignment_comments (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    author_id     INTEGER NOT NULL REFERENCES users(id),
    unit_id       INTEGER REFERENCES units(id),
    text          TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX assignment_comments_assignment ON assignment_comments(assignment_id, id);
