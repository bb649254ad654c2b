-- Private iCalendar feed addresses: the secret is given to its owner once and only its SHA-256
-- is kept, as for API tokens; revoking keeps the row so the address stays dead.
CREATE TABLE calendar_feeds (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id) WHERE revoked_at IS NULL;
