-- Saved filters of the task list: a name and the list's query string, per account; the same
-- name saved again replaces the query.
CREATE TABLE saved_filters (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, name)
);
