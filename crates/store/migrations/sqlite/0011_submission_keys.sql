-- A form or API call repeated because the first answer was slow must not record the same
-- report twice. Each submit-style write may carry a key chosen by the client (the API's
-- Idempotency-Key header, a hidden field generated per form render); the key is claimed in the
-- write's own transaction, so either both the record and its key are stored or neither is.
-- A repeat with the same key finds the row and answers with the first result.
CREATE TABLE submission_keys (
    user_id    INTEGER NOT NULL,
    key        TEXT    NOT NULL,
    -- What the key was used for ("assignment.progress:42"): the same key sent with another
    -- request is refused rather than answered with an unrelated result.
    scope      TEXT    NOT NULL,
    -- The id of what the first submission created (report, request, obstacle).
    result_id  INTEGER,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
